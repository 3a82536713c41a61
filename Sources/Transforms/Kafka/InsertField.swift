import SluiceAPI

/// `org.apache.kafka.connect.transforms.InsertField$Key` / `$Value`: adds the record's topic, partition, offset
/// (sink records only), timestamp and/or a static string as fields. A name ending in `!` makes the new field
/// required, `?` (or nothing) optional. Tombstones pass through untouched.
public final class InsertField: FieldProgramTransformation, Sendable {
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
        /// Where each of `added` takes its value from (parallel to `added`), so `apply` compares no names.
        let sources: [Source]
        /// Whether each of `added` is optional (parallel to `added`).
        let optional: [Bool]
        /// The static field's value, built once.
        let staticFieldValue: Value

        enum Source: Sendable { case topic, partition, offset, timestamp, staticValue }

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
            var sources: [Source] = []
            if let f = topic { added.append((f, f.optional ? .optionalString : .string)); sources.append(.topic) }
            if let f = partition { added.append((f, f.optional ? .optionalInt32 : .int32)); sources.append(.partition) }
            if let f = offset { added.append((f, f.optional ? .optionalInt64 : .int64)); sources.append(.offset) }
            if let f = timestamp { added.append((f, Logical.timestamp(optional: f.optional))); sources.append(.timestamp) }
            if let f = staticField { added.append((f, f.optional ? .optionalString : .string)); sources.append(.staticValue) }
            self.added = added
            self.sources = sources
            self.optional = added.map { $0.schema.isOptional }
            self.staticFieldValue = staticValue.map { .string($0) } ?? .null
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

    /// Specialized for both record types: the runtime calls through `any Transformation`, which otherwise runs
    /// the unspecialized body (every record copy and field access through value witnesses).
    @_specialize(where R == SourceRecord)
    @_specialize(where R == SinkRecord)
    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        var out = record
        return try transform(&out) ? out : nil
    }

    public func applyInPlace(_ record: inout SourceRecord) throws -> Bool { try transform(&record) }
    public func applyInPlace(_ record: inout SinkRecord) throws -> Bool { try transform(&record) }

    /// The record's coordinates an inserted field can take its value from, read before its value is rewritten.
    struct Coordinates {
        let topic: String
        let partition: Int32?
        let offset: Int64?
        let timestamp: Int64?
    }

    @inline(__always)
    private func transform<R: ConnectRecord>(_ record: inout R) throws -> Bool {
        let c = try state.get()
        if side.isNull(in: record) { return true }
        let offset = c.offset == nil ? nil : try Requirements.requireSinkRecord(record, InsertField.purpose).kafkaOffset
        let at = Coordinates(
            topic: c.topic == nil ? "" : record.topic, partition: record.kafkaPartition, offset: offset,
            timestamp: record.timestamp)
        if side == .value {
            record.valueSchema = try insert(c, at, schema: record.valueSchema, value: &record.value)
        } else {
            record.keySchema = try insert(c, at, schema: record.keySchema, value: &record.key)
        }
        return true
    }

    /// The value of inserted field `i` of `c.added` for `record`.
    @inline(__always)
    private func insertedValue(_ c: Config, _ i: Int, _ at: Coordinates) -> Value {
        switch c.sources[i] {
        case .topic: return .string(at.topic)
        case .partition: return at.partition.map { .int32($0) } ?? .null
        case .offset: return at.offset.map { .int64($0) } ?? .null
        case .timestamp: return at.timestamp.map { .int64($0) } ?? .null
        case .staticValue: return c.staticFieldValue
        }
    }

    /// Replaces `value` (the side being transformed, of `record`) by its copy with the fields added; returns the
    /// new schema of that side (nil when schemaless).
    @inline(__always)
    private func insert(_ c: Config, _ at: Coordinates, schema: Schema?, value: inout Value) throws -> Schema? {
        guard schema != nil else {
            var entries = try Requirements.requireMap(value, InsertField.purpose)
            for i in c.added.indices {
                let v = insertedValue(c, i, at)
                if !v.isNull { entries.set(c.added[i].spec.name, v) }
            }
            value = .map(entries)
            return nil
        }
        let s = try Requirements.takeStruct(&value, InsertField.purpose)
        let plan = try self.plan(c, for: s.schema)
        for i in c.added.indices where !c.optional[i] && insertedValue(c, i, at).isNull {
            let add = c.added[i]
            throw ConnectError(.dataException,
                "Invalid value: null used for required field: \"\(add.spec.name)\", schema type: \(add.schema.type.javaName)")
        }
        // One allocation of the output size, filled with concrete copies: growing the input array instead copies
        // its elements through the value witnesses (several times slower) when the caller still shares them, and
        // `Array(unsafeUninitializedCapacity:)` looks the storage type up at run time on every call.
        var values: [Value] = []
        values.reserveCapacity(plan.schema.fields.count)
        for v in s.values { values.append(v) }
        if c.replaceNullWithDefault {
            for d in plan.defaults where values[d.index].isNull { values[d.index] = d.value }
        }
        for i in c.added.indices { values.append(insertedValue(c, i, at)) }
        value = .structure(Struct(schema: plan.schema, values: values))
        return plan.schema
    }

    /// The output schema and defaults for struct schema `schema`, built once per schema.
    private func plan(_ c: Config, for schema: Schema) throws -> Plan {
        try cache.value(for: schema) {
            var b = SchemaUtil.copyBasics(schema, to: .structure)
            for f in schema.fields { b.addField(f.name, f.schema) }
            for add in c.added {
                if schema.field(add.spec.name) != nil || b.fields.contains(where: { $0.0 == add.spec.name }) {
                    throw ConnectError(.dataException, "Cannot create field because of field name duplication \(add.spec.name)")
                }
                b.addField(add.spec.name, add.schema)
            }
            let defaults = schema.fields.compactMap { f in f.schema.defaultValue.map { (index: f.index, value: $0) } }
            return Plan(schema: b.build(), defaults: defaults)
        }
    }

    public var transformsKey: Bool { side == .key }

    /// Only static fields have a program: the record's topic, partition, offset and timestamp vary per record.
    public func fieldProgram(for schema: Schema) throws -> FieldProgram? {
        let c = try state.get()
        guard c.sources.allSatisfy({ $0 == .staticValue }), schema.type == .structure else { return nil }
        let plan = try self.plan(c, for: schema)
        var sources = schema.fields.map { FieldProgram.Source.input($0.index) }
        var conversions = [[FieldProgram.Conversion]](repeating: [], count: schema.fields.count)
        if c.replaceNullWithDefault {
            for d in plan.defaults {
                let value = d.value
                conversions[d.index] = [{ $0.isNull ? value : $0 }]
            }
        }
        let at = Coordinates(topic: "", partition: nil, offset: nil, timestamp: nil)
        for i in c.added.indices {
            let v = insertedValue(c, i, at)
            if v.isNull && !c.optional[i] { return nil }  // `applyInPlace` reports it
            sources.append(.constant(v))
            conversions.append([])
        }
        return FieldProgram(schema: plan.schema, sources: sources, conversions: conversions)
    }
}
