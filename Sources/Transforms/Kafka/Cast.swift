import SluiceAPI

/// `org.apache.kafka.connect.transforms.Cast$Key` / `$Value`: casts fields of a struct/map, or the whole key or
/// value, to another primitive type, rewriting the schema when there is one.
public final class Cast: FieldProgramTransformation, Sendable {
    public static let specConfig = "spec"
    static let purpose = "cast types"

    public static let configDef = ConfigDef([
        ConfigKey(
            specConfig, .list, default: .required,
            validator: ConfigValidator("list of colon-delimited pairs, e.g. foo:bar,abc:xyz") { key, v in
                _ = try Spec(v.listValue ?? [], key: key)
            },
            importance: .high,
            doc: "List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of "
                + "Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, "
                + "int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string."),
        CommonConfig.replaceNullWithDefaultKey,
    ])

    /// The parsed `spec`: per-field target types, or one type for the whole value. A class so that reading the
    /// configuration on every record costs one reference count, not one per member.
    final class Spec: Sendable {
        let fields: [String: SchemaType]
        let order: [String]
        let wholeValue: SchemaType?
        let replaceNullWithDefault: Bool

        init(_ mappings: [String], key: String, replaceNullWithDefault: Bool = true) throws {
            if mappings.isEmpty || mappings == [""] {
                throw ConnectError.invalidConfig(key, "", "Must specify at least one field to cast.")
            }
            var fields: [String: SchemaType] = [:]
            var order: [String] = []
            var wholeValue: SchemaType?
            for mapping in mappings {
                var parts = mapping.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                while parts.count > 1, parts.last == "" { parts.removeLast() }  // Java's String.split
                if parts.count > 2 {
                    throw ConnectError.invalidConfig(key, mappings.joined(separator: ","), "Invalid cast mapping: \(mapping)")
                }
                let typeName = parts[parts.count - 1].trimmedSpaces
                guard let type = Spec.type(named: typeName) else {
                    throw ConnectError.invalidConfig(key, mapping, "Invalid type found in casting spec: \(typeName)")
                }
                guard CastConversion.outputTypes.contains(type) else {
                    throw ConnectError.invalidConfig(key, mapping,
                        "Cast transformation does not support casting to \(type.javaName); supported types are "
                            + CastConversion.typeList(CastConversion.outputTypes))
                }
                if parts.count == 1 {
                    wholeValue = type
                } else {
                    let field = parts[0].trimmedSpaces
                    if fields[field] == nil { order.append(field) }
                    fields[field] = type
                }
            }
            if wholeValue != nil && mappings.count > 1 {
                throw ConnectError.invalidConfig(key, mappings.joined(separator: ","),
                    "Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec")
            }
            self.fields = fields
            self.order = order
            self.wholeValue = wholeValue
            self.replaceNullWithDefault = replaceNullWithDefault
        }

        /// `Schema.Type.valueOf(name.toUpperCase())`.
        static func type(named name: String) -> SchemaType? {
            switch name.uppercased() {
            case "INT8": return .int8
            case "INT16": return .int16
            case "INT32": return .int32
            case "INT64": return .int64
            case "FLOAT32": return .float32
            case "FLOAT64": return .float64
            case "BOOLEAN": return .boolean
            case "STRING": return .string
            case "BYTES": return .bytes
            case "ARRAY": return .array
            case "MAP": return .map
            case "STRUCT": return .structure
            default: return nil
            }
        }
    }

    /// Per input schema: the output schema and which field positions to cast to what.
    final class Plan: Sendable {
        let schema: Schema
        /// `direct`: the source schema passed `CastConversion.convertsDirectly`, so no per-record type checks.
        let casts: [(index: Int, target: SchemaType, source: Schema, direct: Bool)]

        init(schema: Schema, casts: [(index: Int, target: SchemaType, source: Schema)]) {
            self.schema = schema
            self.casts = casts.map { ($0.index, $0.target, $0.source, CastConversion.convertsDirectly($0.source)) }
        }
    }

    public let side: RecordSide
    private let state: ConfiguredState<Spec>
    private let cache = SchemaCache<Plan>()

    public init(_ side: RecordSide) {
        self.side = side
        self.state = ConfiguredState("Cast$\(side.rawValue)")
    }

    public func configure(_ configs: [String: String]) throws {
        let parsed = try Cast.configDef.parse(configs)
        try state.set(try Spec(parsed.list(Cast.specConfig), key: Cast.specConfig,
                               replaceNullWithDefault: parsed.bool(CommonConfig.replaceNullWithDefault)))
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

    @inline(__always)
    private func transform<R: ConnectRecord>(_ record: inout R) throws -> Bool {
        let spec = try state.get()
        if side.isNull(in: record) { return true }
        if side == .value {
            record.valueSchema = try cast(spec, schema: record.valueSchema, value: &record.value)
        } else {
            record.keySchema = try cast(spec, schema: record.keySchema, value: &record.key)
        }
        return true
    }

    /// Replaces `value` (one side of a record, with that side's `schema`) by its cast copy; returns the new schema
    /// of that side (nil when schemaless).
    @inline(__always)
    private func cast(_ spec: Spec, schema: Schema?, value: inout Value) throws -> Schema? {
        guard let schema else {
            if let whole = spec.wholeValue {
                value = try CastConversion.cast(value, schema: nil, to: whole)
                return nil
            }
            var entries = try Requirements.requireMap(value, Cast.purpose)
            for field in spec.order {
                entries.set(field, try CastConversion.cast(entries.value(forKey: field) ?? .null, schema: nil, to: spec.fields[field]!))
            }
            value = .map(entries)
            return nil
        }
        let plan = try self.plan(spec, for: schema)
        if let whole = spec.wholeValue {
            value = try CastConversion.cast(value, schema: schema, to: whole)
            return plan.schema
        }
        // Moved out of the record, so that when the caller owns the record (`applyInPlace`) the casts below rewrite
        // the values in place; otherwise the first write copies them once.
        let s = try Requirements.takeStruct(&value, Cast.purpose)
        try Requirements.requireLayout(s, schema, Cast.purpose)
        var values = (consume s).values
        for c in plan.casts {
            var v = values[c.index]
            if v.isNull, spec.replaceNullWithDefault, let d = c.source.defaultValue { v = d }
            values[c.index] = c.direct
                ? try CastConversion.convert(v, to: c.target) : try CastConversion.cast(v, schema: c.source, to: c.target)
        }
        value = .structure(Struct(schema: plan.schema, values: values))
        return plan.schema
    }

    /// The output schema and casts for `schema`, built once per schema.
    private func plan(_ spec: Spec, for schema: Schema) throws -> Plan {
        try cache.value(for: schema) {
            let casts = spec.wholeValue != nil ? [] : schema.fields.compactMap { f in
                spec.fields[f.name].map { (index: f.index, target: $0, source: f.schema) }
            }
            return Plan(schema: try buildSchema(schema, spec), casts: casts)
        }
    }

    public var transformsKey: Bool { side == .key }

    /// Casts of fields have a program; a cast of the whole value does not.
    public func fieldProgram(for schema: Schema) throws -> FieldProgram? {
        let spec = try state.get()
        guard spec.wholeValue == nil, schema.type == .structure else { return nil }
        let plan = try self.plan(spec, for: schema)
        var conversions = [[FieldProgram.Conversion]](repeating: [], count: schema.fields.count)
        let replaceNull = spec.replaceNullWithDefault
        for c in plan.casts {
            let target = c.target, source = c.source, direct = c.direct, defaultValue = source.defaultValue
            conversions[c.index] = [{ v in
                var v = v
                if v.isNull, replaceNull, let d = defaultValue { v = d }
                return direct ? try CastConversion.convert(v, to: target) : try CastConversion.cast(v, schema: source, to: target)
            }]
        }
        return FieldProgram(schema: plan.schema, sources: schema.fields.map { .input($0.index) }, conversions: conversions)
    }

    private func buildSchema(_ schema: Schema, _ spec: Spec) throws -> Schema {
        if let whole = spec.wholeValue {
            var b = SchemaUtil.isLogical(schema) ? SchemaBuilder(type: whole) : SchemaUtil.copyBasics(schema, to: whole)
            b.isOptional = schema.isOptional
            if let d = schema.defaultValue { b.defaultValue = try CastConversion.cast(d, schema: schema, to: whole) }
            return b.build()
        }
        guard schema.type == .structure else {
            throw ConnectError(.dataException, "Only Struct objects supported for [\(Cast.purpose)], found: \(schema.type.javaName)")
        }
        var b = SchemaUtil.copyBasics(schema, to: .structure)
        b.isOptional = schema.isOptional
        for f in schema.fields {
            guard let target = spec.fields[f.name] else {
                b.addField(f.name, f.schema)
                continue
            }
            if let d = f.schema.defaultValue {
                let casted = try CastConversion.cast(d, schema: f.schema, to: target)
                b.addField(f.name, SchemaBuilder(type: target).optional(f.schema.isOptional).defaultValue(casted).build())
            } else {
                b.addField(f.name, Schema.primitive(target, optional: f.schema.isOptional))
            }
        }
        return b.build()
    }
}

extension String {
    /// Trimmed of surrounding spaces and tabs (Java's `String.trim` for the config text we see).
    var trimmedSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
