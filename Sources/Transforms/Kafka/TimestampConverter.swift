import JavaCompat
import SluiceAPI

/// `org.apache.kafka.connect.transforms.TimestampConverter$Key` / `$Value`: converts a timestamp field (or the
/// whole key/value) between `string` (Java `SimpleDateFormat` in UTC), `unix` (epoch in `unix.precision`), and
/// the `Date`, `Time` and `Timestamp` logical types.
public final class TimestampConverter: Transformation, Sendable {
    public static let fieldConfig = "field"
    public static let targetTypeConfig = "target.type"
    public static let formatConfig = "format"
    public static let unixPrecisionConfig = "unix.precision"
    public static let replaceNullWithDefaultConfig = CommonConfig.replaceNullWithDefault
    static let purpose = "converting timestamp formats"

    /// The timestamp representations, named as `target.type` spells them.
    enum Kind: String, Sendable, CaseIterable {
        case string, unix, date = "Date", time = "Time", timestamp = "Timestamp"

        func schema(optional: Bool) -> Schema {
            switch self {
            case .string: return optional ? .optionalString : .string
            case .unix: return optional ? .optionalInt64 : .int64
            case .date: return Logical.date(optional: optional)
            case .time: return Logical.time(optional: optional)
            case .timestamp: return Logical.timestamp(optional: optional)
            }
        }
    }

    public static let configDef: ConfigDef = {
        var d = ConfigDef([
            ConfigKey(fieldConfig, .string, default: .value(""), importance: .high,
                      doc: "The field containing the timestamp, or empty if the entire value is a timestamp"),
            ConfigKey(targetTypeConfig, .string, default: .required, validator: .oneOf(Kind.allCases.map(\.rawValue)),
                      importance: .high, doc: "The desired timestamp representation: string, unix, Date, Time, or Timestamp"),
            ConfigKey(formatConfig, .string, default: .value(""), validator: TransformValidators.dateFormat, importance: .medium,
                      doc: "A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string."),
            ConfigKey(unixPrecisionConfig, .string, default: .value("milliseconds"),
                      validator: .oneOf(["nanoseconds", "microseconds", "milliseconds", "seconds"]), importance: .low,
                      doc: "The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. Used to generate the output when type=unix or used to parse the input if the input is a Long.Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components."),
            ConfigKey(replaceNullWithDefaultConfig, .boolean, default: .value("true"), importance: .medium,
                      doc: "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used."),
        ])
        d.addCrossCheck { c in
            c.string(targetTypeConfig) == Kind.string.rawValue && (c.string(formatConfig) ?? "").isEmpty
                ? [(formatConfig, "TimestampConverter requires format option to be specified when using string timestamps")]
                : []
        }
        return d
    }()

    struct Config: Sendable {
        var field: String
        var target: Kind
        var format: JavaDateFormat?
        /// Milliseconds per unix unit as a (multiplier, divisor) pair.
        var precision: String
        var replaceNullWithDefault: Bool
    }

    public let side: RecordSide
    private let state: ConfiguredState<Config>
    private let cache = SchemaCache<Schema>()

    public init(_ side: RecordSide) {
        self.side = side
        self.state = ConfiguredState("TimestampConverter$\(side.rawValue)")
    }

    public func configure(_ configs: [String: String]) throws {
        let c = try TimestampConverter.configDef.parse(configs)
        let pattern = c.string(TimestampConverter.formatConfig) ?? ""
        try state.set(Config(
            field: c.string(TimestampConverter.fieldConfig) ?? "",
            target: Kind(rawValue: c.string(TimestampConverter.targetTypeConfig) ?? "") ?? .timestamp,
            format: pattern.isEmpty ? nil : try JavaDateFormat(pattern),
            precision: c.string(TimestampConverter.unixPrecisionConfig, default: "milliseconds"),
            replaceNullWithDefault: c.bool(TimestampConverter.replaceNullWithDefaultConfig)))
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let c = try state.get()
        let value = side.value(of: record)
        guard let schema = side.schema(of: record) else {
            if c.field.isEmpty {
                return side.updating(record, schema: nil, value: try convert(value, from: nil, c))
            }
            guard var entries = try Requirements.requireMapOrNull(value, TimestampConverter.purpose) else { return record }
            entries.set(c.field, try convert(entries.value(forKey: c.field) ?? .null, from: nil, c))
            return side.updating(record, schema: nil, value: .map(entries))
        }
        if c.field.isEmpty {
            let from = try kind(of: schema)
            return side.updating(record, schema: c.target.schema(optional: schema.isOptional), value: try convert(value, from: from, c))
        }
        let updated = try cache.schema(for: schema) {
            var b = SchemaUtil.copyBasics(schema, to: .structure)
            for f in schema.fields {
                b.addField(f.name, f.name == c.field ? c.target.schema(optional: f.schema.isOptional) : f.schema)
            }
            return b.build()
        }
        guard let s = try Requirements.requireStructOrNull(value, TimestampConverter.purpose) else {
            return side.updating(record, schema: updated, value: .null)
        }
        try Requirements.requireLayout(s, schema, TimestampConverter.purpose)
        var values = s.values
        if let f = schema.field(c.field) {
            var v = values[f.index]
            if v.isNull, c.replaceNullWithDefault, let d = f.schema.defaultValue { v = d }
            values[f.index] = try convert(v, from: try kind(of: f.schema), c)
        }
        return side.updating(record, schema: updated, value: .structure(Struct(schema: updated, values: values)))
    }

    private func kind(of schema: Schema) throws -> Kind {
        switch schema.name {
        case Logical.timestampName: return .timestamp
        case Logical.dateName: return .date
        case Logical.timeName: return .time
        default:
            if schema.type == .string { return .string }
            if schema.type == .int64 { return .unix }
            throw ConnectError(.dataException, "Schema \(schema) does not correspond to a known timestamp type format")
        }
    }

    private func convert(_ value: Value, from: Kind?, _ c: Config) throws -> Value {
        if value.isNull { return .null }
        let source: Kind
        if let from {
            source = from
        } else {
            switch value {
            case .string: source = .string
            case .int8, .int16, .int32, .int64: source = .unix
            default:
                throw ConnectError(.dataException, "TimestampConverter does not support \(value.kindName) objects as timestamps")
            }
        }
        let ms = try millis(value, source, c)
        switch c.target {
        case .string:
            guard let format = c.format else {
                throw ConnectError(.connect, "TimestampConverter requires format option to be specified when using string timestamps")
            }
            return .string(format.format(epochMillis: ms))
        case .unix:
            switch c.precision {
            case "seconds": return .int64(ms / 1000)
            case "microseconds": return .int64(ms &* 1000)
            case "nanoseconds": return .int64(ms &* 1_000_000)
            default: return .int64(ms)
            }
        case .date: return .int32(Int32(truncatingIfNeeded: CivilCalendar.floorDiv(ms, CivilCalendar.millisPerDay)))
        case .time: return .int32(Int32(truncatingIfNeeded: CivilCalendar.floorMod(ms, CivilCalendar.millisPerDay)))
        case .timestamp: return .int64(ms)
        }
    }

    private func millis(_ value: Value, _ kind: Kind, _ c: Config) throws -> Int64 {
        switch kind {
        case .string:
            guard case .string(let text) = value else { throw wrongType(value, kind) }
            guard let format = c.format else {
                throw ConnectError(.connect, "TimestampConverter requires format option to be specified when using string timestamps")
            }
            do { return try format.parse(text) } catch {
                throw ConnectError(.dataException,
                    "Could not parse timestamp: value (\(text)) does not match pattern (\(format.pattern))", underlying: error)
            }
        case .unix:
            guard let v = value.int64Value else { throw wrongType(value, kind) }
            switch c.precision {
            case "seconds": return v &* 1000
            case "microseconds": return v / 1000
            case "nanoseconds": return v / 1_000_000
            default: return v
            }
        case .date:
            guard case .int32(let days) = value else { throw wrongType(value, kind) }
            return Int64(days) * CivilCalendar.millisPerDay
        case .time:
            guard case .int32(let ms) = value else { throw wrongType(value, kind) }
            return Int64(ms)
        case .timestamp:
            guard case .int64(let ms) = value else { throw wrongType(value, kind) }
            return ms
        }
    }

    private func wrongType(_ value: Value, _ kind: Kind) -> ConnectError {
        ConnectError(.dataException, "Expected \(kind.rawValue) timestamp but found \(value.kindName)")
    }
}
