import SluiceAPI

/// Chooses each column's Connect schema and conversion from its PostgreSQL type, following Debezium's
/// `PostgresValueConverter` mapping and the `*.handling.mode` / `time.precision.mode` options.
public struct PgValueConverter: Sendable {
    public var options: ValueConverterOptions

    public init(options: ValueConverterOptions = ValueConverterOptions()) { self.options = options }

    /// The schema and conversion for a column, or nil when the type is unknown and `include.unknown.datatypes`
    /// is false (Debezium then leaves the column out).
    public func column(typeOID: UInt32, typeModifier: Int32, optional: Bool, registry: PgTypeRegistry) -> (schema: Schema, conversion: ColumnConversion)? {
        guard let (type, mod) = registry.resolve(typeOID, typeModifier: typeModifier) else {
            return options.includeUnknownDatatypes ? (Schema.primitive(.bytes, optional: optional), .unknownBytes) : nil
        }
        switch type.kind {
        case .enumeration(let labels):
            return (DebeziumTypes.enumSchema(labels, optional: optional), .string)
        case .array(let element):
            // As Debezium 3.0.7: arrays of interval, money, xml and point are left out; enum arrays have required
            // elements.
            let elementType = registry.resolve(element, typeModifier: mod)?.type
            if let name = elementType?.name, ["interval", "money", "xml", "point"].contains(name) { return nil }
            var elementOptional = true
            if case .enumeration? = elementType?.kind { elementOptional = false }
            guard let (elementSchema, conv) = column(typeOID: element, typeModifier: mod, optional: elementOptional, registry: registry) else {
                return nil
            }
            let schema = SchemaBuilder.array(elementSchema).optional(optional).build()
            return (schema, .array(conv, elementSchema: elementSchema))
        case .domain:
            return nil  // resolve() never returns a domain
        case .base, .other:
            if let mapped = scalar(type.name, typeModifier: mod, optional: optional) { return mapped }
            return options.includeUnknownDatatypes ? (Schema.primitive(.bytes, optional: optional), .unknownBytes) : nil
        }
    }

    /// Precision of time/timestamp types from the type modifier (-1 means the default, 6).
    static func fractionalPrecision(_ mod: Int32) -> Int32 { mod < 0 ? 6 : mod }

    func scalar(_ name: String, typeModifier mod: Int32, optional: Bool) -> (Schema, ColumnConversion)? {
        func prim(_ t: SchemaType) -> Schema { Schema.primitive(t, optional: optional) }
        func named(_ n: String, _ t: SchemaType, _ params: [(String, String)] = []) -> Schema {
            DebeziumTypes.named(n, t, optional: optional, parameters: params)
        }
        let adaptive = options.timePrecisionMode != .connect
        switch name {
        case "bool": return (prim(.boolean), .boolean)
        case "int2": return (prim(.int16), .int16)
        case "int4": return (prim(.int32), .int32)
        case "int8", "oid", "xid": return (prim(.int64), .int64)
        case "float4": return (prim(.float32), .float32)
        case "float8": return (prim(.float64), .float64)
        case "numeric":
            switch options.decimalMode {
            case .double: return (prim(.float64), .decimalAsDouble)
            case .string: return (prim(.string), .decimalAsString)
            case .precise:
                guard mod >= 4 else {
                    // The struct must carry the field's own schema (optional flag included): JsonConverter, like
                    // Kafka's ConnectSchema.validateValue, rejects a struct whose schema differs from its field's.
                    let schema = DebeziumTypes.variableScaleDecimalSchema(optional: optional)
                    return (schema, .variableScaleDecimal(schema))
                }
                let precision = Int((mod - 4) >> 16 & 0xFFFF)
                let scale = Int32((mod - 4) & 0xFFFF)
                return (Logical.decimal(scale: scale, optional: optional, precision: precision), .decimal(scale: scale))
            }
        case "money":
            switch options.decimalMode {
            case .precise: return (Logical.decimal(scale: 2, optional: optional), .money(.precise))
            case .double: return (prim(.float64), .money(.double))
            case .string: return (prim(.string), .money(.string))
            }
        case "char", "bpchar", "varchar", "text", "name", "citext", "inet", "cidr", "macaddr", "macaddr8",
            "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange":
            return (prim(.string), .string)
        case "point":
            let schema = DebeziumTypes.pointSchema(optional: optional)
            return (schema, .point(schema))
        case "ltree": return (named(DebeziumTypes.ltree, .string), .string)
        case "bytea":
            return options.binaryMode == .bytes ? (prim(.bytes), .bytes(.bytes)) : (prim(.string), .bytes(options.binaryMode))
        case "bit" where mod == 1:
            return (prim(.boolean), .bit)
        case "bit", "varbit":
            let length = mod > 0 ? mod : Int32.max
            return (named(DebeziumTypes.bits, .bytes, [("length", String(length))]), .bits)
        case "date":
            return adaptive ? (named(DebeziumTypes.date, .int32), .dateDays) : (Logical.date(optional: optional), .dateDays)
        case "time":
            switch options.timePrecisionMode {
            case .connect: return (Logical.time(optional: optional), .timeMillis)
            case .adaptiveTimeMicroseconds: return (named(DebeziumTypes.microTime, .int64), .timeMicros)
            case .adaptive:
                return Self.fractionalPrecision(mod) <= 3
                    ? (named(DebeziumTypes.time, .int32), .timeMillis) : (named(DebeziumTypes.microTime, .int64), .timeMicros)
            }
        case "timestamp":
            if !adaptive { return (Logical.timestamp(optional: optional), .timestampMillis) }
            return Self.fractionalPrecision(mod) <= 3
                ? (named(DebeziumTypes.timestamp, .int64), .timestampMillis)
                : (named(DebeziumTypes.microTimestamp, .int64), .timestampMicros)
        case "timestamptz":
            return (named(DebeziumTypes.zonedTimestamp, .string), .zonedTimestamp(fractionDigits: Int(Self.fractionalPrecision(mod))))
        case "timetz": return (named(DebeziumTypes.zonedTime, .string), .zonedTime)
        case "interval":
            return options.intervalMode == .numeric
                ? (named(DebeziumTypes.microDuration, .int64), .intervalMicros)
                : (named(DebeziumTypes.interval, .string), .intervalString)
        case "uuid": return (named(DebeziumTypes.uuid, .string), .string)
        case "json", "jsonb": return (named(DebeziumTypes.json, .string), .string)
        case "xml": return (named(DebeziumTypes.xml, .string), .string)
        case "hstore":
            if options.hstoreMode == .json { return (named(DebeziumTypes.json, .string), .hstoreJSON) }
            return (SchemaBuilder.map(.string, .optionalString).optional(optional).build(), .hstoreMap)
        default: return nil
        }
    }

    /// The value an unchanged TOAST column carries: the placeholder for string and binary columns (Debezium's
    /// `unavailable.value.placeholder`), a one-element placeholder list for string arrays, else null.
    public func unavailableValue(for schema: Schema) -> Value {
        let p = options.unavailableValuePlaceholder
        switch schema.type {
        case .string: return .string(p)
        case .bytes where schema.name == nil: return .bytes(Array(p.utf8))
        case .array where schema.valueSchema?.type == .string: return .array([.string(p)])
        default: return .null
        }
    }
}
