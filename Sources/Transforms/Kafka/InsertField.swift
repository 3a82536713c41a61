import SluiceAPI

/// `org.apache.kafka.connect.transforms.InsertField$Key` / `$Value`: adds the record's topic, partition, offset
/// (sink records only), timestamp and/or a static string as fields. A name ending in `!` makes the new field
/// required, `?` (or nothing) optional. Tombstones pass through untouched.
public final class InsertField: Transformation, Sendable {
    public static let topicFieldConfig = "topic.field"
    public static let partitionFieldConfig = "partition.field"
    public static let offsetFieldConfig = "offset.field"
    public static let timestampFieldConfig = "timestamp.field"
    public static let staticFieldConfig = "static.field"
    public static let staticValueConfig = "static.value"
    static let purpose = "field insertion"
    static let optionalityDoc = "Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default)."

    public static let configDef: ConfigDef = {
        var d = ConfigDef([
            ConfigKey(topicFieldConfig, .string, default: .value(nil), doc: "Field name for Kafka topic. " + optionalityDoc),
            ConfigKey(partitionFieldConfig, .string, default: .value(nil), doc: "Field name for Kafka partition. " + optionalityDoc),
            ConfigKey(offsetFieldConfig, .string, default: .value(nil),
                      doc: "Field name for Kafka offset - only applicable to sink connectors.<br/>" + optionalityDoc),
            ConfigKey(timestampFieldConfig, .string, default: .value(nil), doc: "Field name for record timestamp. " + optionalityDoc),
            ConfigKey(staticFieldConfig, .string, default: .value(nil), doc: "Field name for static data field. " + optionalityDoc),
            ConfigKey(staticValueConfig, .string, default: .value(nil), doc: "Static field value, if field name configured."),
        ])
        d.addCrossCheck { c in
            var problems: [(key: String, message: String)] = []
            let names = [topicFieldConfig, partitionFieldConfig, offsetFieldConfig, timestampFieldConfig, staticFieldConfig]
            if names.allSatisfy({ c.string($0) == nil }) {
                problems.append((topicFieldConfig, "No field insertion configured"))
            }
            if let f = c.string(staticFieldConfig), c.string(staticValueConfig) == nil {
                problems.append((staticValueConfig, "No value specified for static field: \(f)"))
            }
            return problems
        }
        return d
    }()

    /// A field to insert: its name and whether it is optional (`name?` / `name`) or required (`name!`).
    struct Spec: Sendable, Hashable {
        let name: String
        let optional: Bool

        init?(_ text: String?) {
            guard let text else { return nil }
            if text.hasSuffix("?") {
                name = String(text.dropLast()); optional = true
            } else if text.hasSuffix("!") {
                name = String(text.dropLast()); optional = false
            } else {
                name = text; optional = true
            }
        }
    }

    struct Config: Sendable {
        var topic, partition, offset, timestamp, staticField: Spec?
        var staticValue: String?
    }

    public let side: RecordSide
    private let state: ConfiguredState<Config>
    private let cache = SchemaCache()

    public init(_ side: RecordSide) {
        self.side = side
        self.state = ConfiguredState("InsertField$\(side.rawValue)")
    }

    public func configure(_ configs: [String: String]) throws {
        let c = try InsertField.configDef.parse(configs)
        state.set(Config(
            topic: Spec(c.string(InsertField.topicFieldConfig)),
            partition: Spec(c.string(InsertField.partitionFieldConfig)),
            offset: Spec(c.string(InsertField.offsetFieldConfig)),
            timestamp: Spec(c.string(InsertField.timestampFieldConfig)),
            staticField: Spec(c.string(InsertField.staticFieldConfig)),
            staticValue: c.string(InsertField.staticValueConfig)))
    }

    /// The (field, schema, value) triples to insert into this record, in Kafka's order.
    private func insertions<R: ConnectRecord>(_ record: R, _ c: Config) throws -> [(Spec, Schema, Value)] {
        var out: [(Spec, Schema, Value)] = []
        if let f = c.topic {
            out.append((f, f.optional ? .optionalString : .string, .string(record.topic)))
        }
        if let f = c.partition {
            out.append((f, f.optional ? .optionalInt32 : .int32, record.kafkaPartition.map { .int32($0) } ?? .null))
        }
        if let f = c.offset {
            let sink = try Requirements.requireSinkRecord(record, InsertField.purpose)
            out.append((f, f.optional ? .optionalInt64 : .int64, .int64(sink.kafkaOffset)))
        }
        if let f = c.timestamp {
            out.append((f, Logical.timestamp(optional: f.optional), record.timestamp.map { .int64($0) } ?? .null))
        }
        if let f = c.staticField {
            out.append((f, f.optional ? .optionalString : .string, c.staticValue.map { .string($0) } ?? .null))
        }
        return out
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let config = try state.get()
        let value = side.value(of: record)
        if value.isNull { return record }
        let inserts = try insertions(record, config)
        guard side.schema(of: record) != nil else {
            var entries = try Requirements.requireMap(value, InsertField.purpose)
            for (spec, _, v) in inserts where !v.isNull { entries.set(spec.name, v) }
            return side.updating(record, schema: nil, value: .map(entries))
        }
        let s = try Requirements.requireStruct(value, InsertField.purpose)
        let updated = try cache.schema(for: s.schema) {
            var b = SchemaUtil.copyBasics(s.schema, to: .structure)
            for f in s.schema.fields { b.addField(f.name, f.schema) }
            for (spec, fieldSchema, _) in inserts {
                if s.schema.field(spec.name) != nil || b.fields.contains(where: { $0.0 == spec.name }) {
                    throw ConnectError(.dataException, "Cannot create field because of field name duplication \(spec.name)")
                }
                b.addField(spec.name, fieldSchema)
            }
            return b.build()
        }
        var values = s.values
        values.reserveCapacity(updated.fields.count)
        for f in s.schema.fields where values[f.index].isNull {
            if let d = f.schema.defaultValue { values[f.index] = d }
        }
        for (spec, fieldSchema, v) in inserts {
            if v.isNull && !fieldSchema.isOptional {
                throw ConnectError(.dataException,
                    "Invalid value: null used for required field: \"\(spec.name)\", schema type: \(fieldSchema.type.javaName)")
            }
            values.append(v)
        }
        return side.updating(record, schema: updated, value: .structure(Struct(schema: updated, values: values)))
    }
}
