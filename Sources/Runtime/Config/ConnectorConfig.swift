import SluiceAPI

/// The keys every connector config has (`ConnectorConfig`, `SinkConnectorConfig`, `SourceConnectorConfig`),
/// validated before the connector's own keys.
public enum ConnectorConfig {
    static func key(_ n: String, _ t: ConfigType, _ d: ConfigKey.Default, group: String, order: Int, _ doc: String,
                    _ v: ConfigValidator? = nil, importance: ConfigImportance = .low) -> ConfigKey {
        ConfigKey(n, t, default: d, validator: v, importance: importance, doc: doc, group: group, orderInGroup: order,
                  width: .medium, displayName: n)
    }

    public static let common: ConfigDef = {
        var d = ConfigDef()
        let g = "Common"
        d.define(key("name", .string, .required, group: g, order: 1, "Globally unique name to use for this connector.", .nonEmptyString, importance: .high))
        d.define(key("connector.class", .string, .required, group: g, order: 2, "Name or alias of the class for this connector.", importance: .high))
        d.define(key("tasks.max", .int, .value("1"), group: g, order: 3, "Maximum number of tasks to use for this connector.", .range(min: 1), importance: .high))
        d.define(key("tasks.max.enforce", .boolean, .value("true"), group: g, order: 4, "Fail when a connector generates more than tasks.max tasks."))
        d.define(key("key.converter", .className, .value(nil), group: g, order: 5, "Converter for keys (overrides the worker's)."))
        d.define(key("value.converter", .className, .value(nil), group: g, order: 6, "Converter for values (overrides the worker's)."))
        d.define(key("header.converter", .className, .value(nil), group: g, order: 7, "Converter for headers (overrides the worker's)."))
        d.define(key("config.action.reload", .string, .value("restart"), group: g, order: 8, "What to do when external config providers change.", .oneOf(["none", "restart"], caseInsensitive: true)))
        d.define(key("transforms", .list, .value(""), group: "Transforms", order: 0, "Aliases for the transformations to apply to records."))
        d.define(key("predicates", .list, .value(""), group: "Predicates", order: 0, "Aliases for the predicates used by transformations."))
        let e = "Error Handling"
        d.define(key("errors.retry.timeout", .long, .value("0"), group: e, order: 1, "Maximum duration in ms a failed operation is retried (-1 = forever)."))
        d.define(key("errors.retry.delay.max.ms", .long, .value("60000"), group: e, order: 2, "Maximum delay between consecutive retries.", .range(min: 1)))
        d.define(key("errors.tolerance", .string, .value("none"), group: e, order: 3, "`none` fails the task on an error; `all` skips problematic records.", .oneOf(["none", "all"], caseInsensitive: true)))
        d.define(key("errors.log.enable", .boolean, .value("false"), group: e, order: 4, "Log each error and the failed operation."))
        d.define(key("errors.log.include.messages", .boolean, .value("false"), group: e, order: 5, "Include the record in error logs."))
        d.define(key("errors.deadletterqueue.topic.name", .string, .value(""), group: e, order: 6, "Topic for records that failed (sinks; Sluice also for sources)."))
        d.define(key("errors.deadletterqueue.topic.replication.factor", .short, .value("3"), group: e, order: 7, "Replication factor of the dead letter queue topic."))
        d.define(key("errors.deadletterqueue.context.headers.enable", .boolean, .value("false"), group: e, order: 8, "Add `__connect.errors.*` headers to dead letter queue records."))
        return d
    }()

    public static let sinkOnly: ConfigDef = {
        var d = ConfigDef()
        d.define(key("topics", .list, .value(""), group: "Common", order: 4, "Topics to consume.", importance: .high))
        d.define(key("topics.regex", .string, .value(""), group: "Common", order: 4, "Regex of topics to consume.", .regex, importance: .high))
        d.addCrossCheck { c in
            let topics = c.list("topics").filter { !$0.isEmpty }
            let regex = c.string("topics.regex") ?? ""
            if topics.isEmpty && regex.isEmpty {
                return [("topics", "Must configure one of topics or topics.regex")]
            }
            if !topics.isEmpty && !regex.isEmpty {
                return [("topics", "topics and topics.regex are mutually exclusive options, but both are set.")]
            }
            let dlq = c.string("errors.deadletterqueue.topic.name") ?? ""
            if !dlq.isEmpty && topics.contains(dlq) {
                return [("errors.deadletterqueue.topic.name", "The DLQ topic '\(dlq)' may not be included in the list of topics ('topics=\(topics.joined(separator: ","))') consumed by the connector")]
            }
            return []
        }
        return d
    }()

    public static let sourceOnly: ConfigDef = {
        var d = ConfigDef()
        let g = "Topic Creation"
        d.define(key("topic.creation.groups", .list, .value(""), group: g, order: 1, "Groups of topic creation settings."))
        d.define(key("topic.creation.default.replication.factor", .short, .value(nil), group: g, order: 2, "Replication factor of topics the connector creates (-1 = broker default)."))
        d.define(key("topic.creation.default.partitions", .int, .value(nil), group: g, order: 3, "Partitions of topics the connector creates (-1 = broker default)."))
        d.define(key("exactly.once.support", .string, .value("requested"), group: "Exactly Once Support", order: 1, "requested or required.", .oneOf(["requested", "required"], caseInsensitive: true)))
        d.define(key("transaction.boundary", .string, .value("poll"), group: "Exactly Once Support", order: 2, "poll, interval or connector.", .oneOf(["poll", "interval", "connector"], caseInsensitive: true)))
        d.define(key("offsets.storage.topic", .string, .value(nil), group: "Offsets Topic", order: 1, "Separate offsets topic (distributed)."))
        return d
    }()

    /// Definition of the common keys for a connector of `type`.
    public static func definition(for type: PluginType) -> ConfigDef {
        switch type {
        case .sink: return common.merging(sinkOnly)
        case .source: return common.merging(sourceOnly)
        default: return common
        }
    }
}
