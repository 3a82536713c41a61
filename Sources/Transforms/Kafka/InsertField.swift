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
            CommonConfig.replaceNullWithDefaultKey,
        ])
        d.addCrossCheck { c in
            var problems: [(key: String, message: String)] = []
            let names = [topicFieldConfig, partitionFieldConfig, offsetFieldConfig, timestampFieldConfig, staticFieldConfig]
            if names.allSatisfy({ c.string($0) == nil }) {
                problems.append((topicFieldConfig, "No field insertion configured: set at least one of \(names.joined(separator: ", "))"))
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

    /// The parsed configuration; a class so reading it per record costs one reference count.
    final class Config: Sendable {
        let topic, partition, offset, timestamp, staticField: Spec?
        let staticValue: String?
        let replaceNullWithDefault: Bool
        /// The fields to add, with their schemas, in Kafka's order.
        let added: [(spec: Spec, schema: Schema)]

        init(
            topic: Spec?, partition: Spec?, offset: Spec?, timestamp: Spec?, staticField: Spec?, staticValue: String?,
            replaceNullWithDefault: Bool
        ) {
            self.replaceNullWithDefault = replaceNullWithDefault
            self.topic = topic
            self.partition = partition
            self.offset = offset
            self.timestamp = timestamp
            self.staticField = staticField
            self.staticValue = staticValue
            var added: [(spec: Spec, schema: Schema)] = []
            if let f = topic { added.append((f, f.optional ? .optionalString : .string)) }
            if let f = partition { added.append((f, f.optional ? .optionalInt32 : .int32)) }
            if let f = offset { added.append((f, f.optional ? .optionalInt64 : .int64)) }
            if let f = timestamp { added.append((f, Logical.timestamp(optional: f.optional))) }
            if let f = staticField { added.append((f, f.optional ? .optionalString : .string)) }
            self.added = added
        }
    }

    /// Per input schema: the output schema and the input fields whose defaults replace nulls (`Struct.get`).
    final class Plan: Sendable {
        let schema: Schema
        let defaults: [(index: Int, value: Value)]

        init(schema: Schema, defaults: [(index: Int, value: Value)]) {
            self.schema = schema
            self.defaults = defaults
        }
    }

    public let side: RecordSide
    private let state: ConfiguredState<Config>
    private let cache = SchemaCache<Plan>()

    public init(_ side: RecordSide) {
        self.side = side
        self.state = ConfiguredState("InsertField$\(side.rawValue)")
    }

    public func configure(_ configs: [String: String]) throws {
        let c = try InsertField.configDef.parse(configs)
        try state.set(Config(
            topic: Spec(c.string(InsertField.topicFieldConfig)),
            partition: Spec(c.string(InsertField.partitionFieldConfig)),
            offset: Spec(c.string(InsertField.offsetFieldConfig)),
            timestamp: Spec(c.string(InsertField.timestampFieldConfig)),
            staticField: Spec(c.string(InsertField.staticFieldConfig)),
            staticValue: c.string(InsertField.staticValueConfig),
            replaceNullWithDefault: c.bool(CommonConfig.replaceNullWithDefault)))
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let c = try state.get()
        let value = side.value(of: record)
        if value.isNull { return record }
        let offset = c.offset == nil ? nil : try Requirements.requireSinkRecord(record, InsertField.purpose).kafkaOffset
        // The inserted values, in the order of `c.added`.
        var inserted: [Value] = []
        inserted.reserveCapacity(c.added.count)
        if c.topic != nil { inserted.append(.string(record.topic)) }
        if c.partition != nil { inserted.append(record.kafkaPartition.map { .int32($0) } ?? .null) }
        if c.offset != nil { inserted.append(offset.map { .int64($0) } ?? .null) }
        if c.timestamp != nil { inserted.append(record.timestamp.map { .int64($0) } ?? .null) }
        if c.staticField != nil { inserted.append(c.staticValue.map { .string($0) } ?? .null) }

        guard side.schema(of: record) != nil else {
            var entries = try Requirements.requireMap(value, InsertField.purpose)
            for (i, add) in c.added.enumerated() where !inserted[i].isNull { entries.set(add.spec.name, inserted[i]) }
            return side.updating(record, schema: nil, value: .map(entries))
        }
        let s = try Requirements.requireStruct(value, InsertField.purpose)
        let plan = try cache.value(for: s.schema) {
            var b = SchemaUtil.copyBasics(s.schema, to: .structure)
            for f in s.schema.fields { b.addField(f.name, f.schema) }
            for add in c.added {
                if s.schema.field(add.spec.name) != nil || b.fields.contains(where: { $0.0 == add.spec.name }) {
                    throw ConnectError(.dataException, "Cannot create field because of field name duplication \(add.spec.name)")
                }
                b.addField(add.spec.name, add.schema)
            }
            let defaults = s.schema.fields.compactMap { f in f.schema.defaultValue.map { (index: f.index, value: $0) } }
            return Plan(schema: b.build(), defaults: defaults)
        }
        var values = s.values
        values.reserveCapacity(plan.schema.fields.count)
        if c.replaceNullWithDefault {
            for d in plan.defaults where values[d.index].isNull { values[d.index] = d.value }
        }
        for (i, add) in c.added.enumerated() {
            if inserted[i].isNull && !add.schema.isOptional {
                throw ConnectError(.dataException,
                    "Invalid value: null used for required field: \"\(add.spec.name)\", schema type: \(add.schema.type.javaName)")
            }
            values.append(inserted[i])
        }
        return side.updating(record, schema: plan.schema, value: .structure(Struct(schema: plan.schema, values: values)))
    }
}
