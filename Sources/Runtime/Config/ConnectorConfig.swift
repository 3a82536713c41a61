import SluiceAPI

/// The keys every connector config has (`ConnectorConfig`, `SinkConnectorConfig`, `SourceConnectorConfig`),
/// validated before the connector's own keys.
///
/// Names, documentation, groups, widths, display names and order are Kafka Connect 3.9's, verbatim: REST
/// `config/validate` and `/connector-plugins/{p}/config` show them, and UIs and scripts compare them
/// (Tests/CompatTests checks them against the original).
public enum ConnectorConfig {
    public static let common: ConfigDef = {
        var d = ConfigDef()
        d.define(ConfigKey("name", .string, default: .required, validator: .nonEmptyString, importance: .high,
                           doc: "Globally unique name to use for this connector.",
                           group: "Common", orderInGroup: 1, width: .medium, displayName: "Connector name"))
        d.define(ConfigKey("connector.class", .string, default: .required, importance: .high,
                           doc: "Name or alias of the class for this connector. Must be a subclass of org.apache.kafka.connect.connector.Connector. If the connector is org.apache.kafka.connect.file.FileStreamSinkConnector, you can either specify this full name,  or use \"FileStreamSink\" or \"FileStreamSinkConnector\" to make the configuration a bit shorter",
                           group: "Common", orderInGroup: 2, width: .long, displayName: "Connector class"))
        d.define(ConfigKey("tasks.max", .int, default: .value("1"), validator: .range(min: 1), importance: .high,
                           doc: "Maximum number of tasks to use for this connector.",
                           group: "Common", orderInGroup: 3, width: .short, displayName: "Tasks max"))
        d.define(ConfigKey("tasks.max.enforce", .boolean, default: .value("true"), importance: .low,
                           doc: "(Deprecated) Whether to enforce that the tasks.max property is respected by the connector. By default, connectors that generate too many tasks will fail, and existing sets of tasks that exceed the tasks.max property will also be failed. If this property is set to false, then connectors will be allowed to generate more than the maximum number of tasks, and existing sets of tasks that exceed the tasks.max property will be allowed to run. This property is deprecated and will be removed in an upcoming major release.",
                           group: "Common", orderInGroup: 4, width: .short, displayName: "Enforce tasks max"))
        d.define(ConfigKey("key.converter", .className, default: .value(nil), importance: .low,
                           doc: "Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the keys in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro.",
                           group: "Common", orderInGroup: 5, width: .short, displayName: "Key converter class"))
        d.define(ConfigKey("value.converter", .className, default: .value(nil), importance: .low,
                           doc: "Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the values in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro.",
                           group: "Common", orderInGroup: 6, width: .short, displayName: "Value converter class"))
        d.define(ConfigKey("header.converter", .className, default: .value(nil), importance: .low,
                           doc: "HeaderConverter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the header values in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro. By default, the SimpleHeaderConverter is used to serialize header values to strings and deserialize them by inferring the schemas.",
                           group: "Common", orderInGroup: 7, width: .short, displayName: "Header converter class"))
        d.define(ConfigKey("transforms", .list, default: .value(""), importance: .low,
                           doc: "Aliases for the transformations to be applied to records.",
                           group: "Transforms", orderInGroup: 8, width: .long, displayName: "Transforms"))
        d.define(ConfigKey("predicates", .list, default: .value(""), importance: .low,
                           doc: "Aliases for the predicates used by transformations.",
                           group: "Predicates", orderInGroup: 9, width: .long, displayName: "Predicates"))
        d.define(ConfigKey("config.action.reload", .string, default: .value("restart"), validator: .oneOf(["none", "restart"], caseInsensitive: true), importance: .low,
                           doc: "The action that Connect should take on the connector when changes in external configuration providers result in a change in the connector's configuration properties. A value of 'none' indicates that Connect will do nothing. A value of 'restart' indicates that Connect should restart/reload the connector with the updated configuration properties.The restart may actually be scheduled in the future if the external configuration provider indicates that a configuration value will expire in the future.",
                           group: "Common", orderInGroup: 10, width: .medium, displayName: "Reload Action"))
        d.define(ConfigKey("errors.retry.timeout", .long, default: .value("0"), importance: .medium,
                           doc: "The maximum duration in milliseconds that a failed operation will be reattempted. The default is 0, which means no retries will be attempted. Use -1 for infinite retries.",
                           group: "Error Handling", orderInGroup: 1, width: .medium, displayName: "Retry Timeout for Errors"))
        d.define(ConfigKey("errors.retry.delay.max.ms", .long, default: .value("60000"), validator: .range(min: 1), importance: .medium,
                           doc: "The maximum duration in milliseconds between consecutive retry attempts. Jitter will be added to the delay once this limit is reached to prevent thundering herd issues.",
                           group: "Error Handling", orderInGroup: 2, width: .medium, displayName: "Maximum Delay Between Retries for Errors"))
        d.define(ConfigKey("errors.tolerance", .string, default: .value("none"), validator: .oneOf(["none", "all"], caseInsensitive: true), importance: .medium,
                           doc: "Behavior for tolerating errors during connector operation. 'none' is the default value and signals that any error will result in an immediate connector task failure; 'all' changes the behavior to skip over problematic records.",
                           group: "Error Handling", orderInGroup: 3, width: .short, displayName: "Error Tolerance"))
        d.define(ConfigKey("errors.log.enable", .boolean, default: .value("false"), importance: .medium,
                           doc: "If true, write each error and the details of the failed operation and problematic record to the Connect application log. This is 'false' by default, so that only errors that are not tolerated are reported.",
                           group: "Error Handling", orderInGroup: 4, width: .short, displayName: "Log Errors"))
        d.define(ConfigKey("errors.log.include.messages", .boolean, default: .value("false"), importance: .medium,
                           doc: "Whether to include in the log the Connect record that resulted in a failure. For sink records, the topic, partition, offset, and timestamp will be logged. For source records, the key and value (and their schemas), all headers, and the timestamp, Kafka topic, Kafka partition, source partition, and source offset will be logged. This is 'false' by default, which will prevent record keys, values, and headers from being written to log files.",
                           group: "Error Handling", orderInGroup: 5, width: .short, displayName: "Log Error Details"))
        return d
    }()

    public static let sinkOnly: ConfigDef = {
        var d = ConfigDef()
        d.define(ConfigKey("topics", .list, default: .value(""), importance: .high,
                           doc: "List of topics to consume, separated by commas",
                           group: "Common", orderInGroup: 4, width: .long, displayName: "Topics"))
        d.define(ConfigKey("topics.regex", .string, default: .value(""), validator: .regex, importance: .high,
                           doc: "Regular expression giving topics to consume. Under the hood, the regex is compiled to a <code>java.util.regex.Pattern</code>. Only one of topics or topics.regex should be specified.",
                           group: "Common", orderInGroup: 4, width: .long, displayName: "Topics regex"))
        d.define(ConfigKey("errors.deadletterqueue.topic.name", .string, default: .value(""), importance: .medium,
                           doc: "The name of the topic to be used as the dead letter queue (DLQ) for messages that result in an error when processed by this sink connector, or its transformations or converters. The topic name is blank by default, which means that no messages are to be recorded in the DLQ.",
                           group: "Error Handling", orderInGroup: 6, width: .medium, displayName: "Dead Letter Queue Topic Name"))
        d.define(ConfigKey("errors.deadletterqueue.topic.replication.factor", .short, default: .value("3"), importance: .medium,
                           doc: "Replication factor used to create the dead letter queue topic when it doesn't already exist.",
                           group: "Error Handling", orderInGroup: 7, width: .medium, displayName: "Dead Letter Queue Topic Replication Factor"))
        d.define(ConfigKey("errors.deadletterqueue.context.headers.enable", .boolean, default: .value("false"), importance: .medium,
                           doc: "If true, add headers containing error context to the messages written to the dead letter queue. To avoid clashing with headers from the original record, all error context header keys, all error context header keys will start with <code>__connect.errors.</code>",
                           group: "Error Handling", orderInGroup: 8, width: .medium, displayName: "Enable Error Context Headers"))
        d.addCrossCheck { c in
            let topics = c.list("topics").filter { !$0.isEmpty }
            let regex = c.string("topics.regex") ?? ""
            if topics.isEmpty && regex.isEmpty {
                return [("topics", "Must configure one of topics or topics.regex")]
            }
            if !topics.isEmpty && !regex.isEmpty {
                let m = "topics and topics.regex are mutually exclusive options, but both are set."
                return [("topics", m), ("topics.regex", m)]
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
        d.define(ConfigKey("topic.creation.groups", .list, default: .value(""), importance: .low,
                           doc: "Groups of configurations for topics created by source connectors",
                           group: "Topic Creation", orderInGroup: 1, width: .long, displayName: "Topic Creation Groups"))
        d.define(ConfigKey("exactly.once.support", .string, default: .value("requested"), validator: .oneOf(["requested", "required"], caseInsensitive: true), importance: .medium,
                           doc: "Permitted values are requested, required. If set to \"required\", forces a preflight check for the connector to ensure that it can provide exactly-once semantics with the given configuration. Some connectors may be capable of providing exactly-once semantics but not signal to Connect that they support this; in that case, documentation for the connector should be consulted carefully before creating it, and the value for this property should be set to \"requested\". Additionally, if the value is set to \"required\" but the worker that performs preflight validation does not have exactly-once support enabled for source connectors, requests to create or validate the connector will fail.",
                           group: "Exactly Once Support", orderInGroup: 2, width: .short, displayName: "Exactly once support"))
        d.define(ConfigKey("transaction.boundary", .string, default: .value("poll"), validator: .oneOf(["poll", "interval", "connector"], caseInsensitive: true), importance: .medium,
                           doc: "Permitted values are: poll, interval, connector. If set to 'poll', a new producer transaction will be started and committed for every batch of records that each task from this connector provides to Connect. If set to 'connector', relies on connector-defined transaction boundaries; note that not all connectors are capable of defining their own transaction boundaries, and in that case, attempts to instantiate a connector with this value will fail. Finally, if set to 'interval', commits transactions only after a user-defined time interval has passed.",
                           group: "Exactly Once Support", orderInGroup: 3, width: .short, displayName: "Transaction Boundary"))
        d.define(ConfigKey("transaction.boundary.interval.ms", .long, default: .value(nil), importance: .low,
                           doc: "If 'transaction.boundary' is set to 'interval', determines the interval for producer transaction commits by connector tasks. If unset, defaults to the value of the worker-level 'offset.flush.interval.ms' property. It has no effect if a different transaction.boundary is specified.",
                           group: "Exactly Once Support", orderInGroup: 4, width: .short, displayName: "Transaction boundary interval"))
        d.define(ConfigKey("offsets.storage.topic", .string, default: .value(nil), importance: .low,
                           doc: "The name of a separate offsets topic to use for this connector. If empty or not specified, the worker\u{2019}s global offsets topic name will be used. If specified, the offsets topic will be created if it does not already exist on the Kafka cluster targeted by this connector (which may be different from the one used for the worker's global offsets topic if the bootstrap.servers property of the connector's producer has been overridden from the worker's). Only applicable in distributed mode; in standalone mode, setting this property will have no effect.",
                           group: "offsets.topic", orderInGroup: 1, width: .long, displayName: "Offsets topic"))
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
