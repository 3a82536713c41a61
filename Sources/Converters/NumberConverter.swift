import SluiceAPI

/// Kafka's number converters (`org.apache.kafka.connect.converters.IntegerConverter`, `LongConverter`,
/// `ShortConverter`, `FloatConverter`, `DoubleConverter`): one fixed-width big-endian value per record, the format of
/// Kafka's own `IntegerSerializer` & co. One class parameterised by the kind, since the five differ only in width.
public final class NumberConverter: Converter, HeaderConverter, Sendable {
    public enum Kind: Sendable, CaseIterable {
        case short, integer, long, float, double

        /// The Java class users name in configs.
        public var className: String {
            switch self {
            case .short: return "org.apache.kafka.connect.converters.ShortConverter"
            case .integer: return "org.apache.kafka.connect.converters.IntegerConverter"
            case .long: return "org.apache.kafka.connect.converters.LongConverter"
            case .float: return "org.apache.kafka.connect.converters.FloatConverter"
            case .double: return "org.apache.kafka.connect.converters.DoubleConverter"
            }
        }

        var width: Int {
            switch self {
            case .short: return 2
            case .integer, .float: return 4
            case .long, .double: return 8
            }
        }

        var schema: Schema {
            switch self {
            case .short: return .optionalInt16
            case .integer: return .optionalInt32
            case .long: return .optionalInt64
            case .float: return .optionalFloat32
            case .double: return .optionalFloat64
            }
        }

        /// Kafka's serializer class name, as its size error names it.
        var deserializerName: String {
            switch self {
            case .short: return "ShortDeserializer"
            case .integer: return "IntegerDeserializer"
            case .long: return "LongDeserializer"
            case .float: return "FloatDeserializer"
            case .double: return "DoubleDeserializer"
            }
        }
    }

    /// Only `converter.type`, as `NumberConverterConfig` in Kafka.
    public static let configDef = ConverterConfig.baseConfigDef

    /// Which of the five number types this instance converts.
    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public func configure(_ configs: [String: String], isKey: Bool) throws {
        _ = try NumberConverter.configDef.parse(ConverterConfig.withType(configs, isKey ? .key : .value))
    }

    public func configure(_ configs: [String: String]) throws {}

    public func fromConnectData(topic: String, headers: Headers?, schema: Schema?, value: Value) throws -> [UInt8]? {
        let bits: UInt64
        switch (kind, value) {
        case (_, .null): return nil
        case (.short, .int16(let v)): bits = UInt64(UInt16(bitPattern: v))
        case (.integer, .int32(let v)): bits = UInt64(UInt32(bitPattern: v))
        case (.long, .int64(let v)): bits = UInt64(bitPattern: v)
        case (.float, .float32(let f)): bits = UInt64(f.bitPattern)
        case (.double, .float64(let d)): bits = d.bitPattern
        default:
            throw ConnectError(.dataException, "Failed to serialize to \(kind.schema.type.javaName) (was \(JsonPayloadEncoder.javaClass(value))): ")
        }
        let n = kind.width
        return (0..<n).map { UInt8(truncatingIfNeeded: bits >> UInt64(8 * (n - 1 - $0))) }
    }

    public func toConnectData(topic: String, headers: Headers?, value: [UInt8]?) throws -> SchemaAndValue {
        guard let value else { return SchemaAndValue(schema: kind.schema, value: .null) }
        guard value.count == kind.width else {
            throw ConnectError(.dataException, "Failed to deserialize \(kind.schema.type.javaName): Size of data received by \(kind.deserializerName) is not \(kind.width)")
        }
        var bits: UInt64 = 0
        for b in value { bits = bits << 8 | UInt64(b) }
        let v: Value
        switch kind {
        case .short: v = .int16(Int16(bitPattern: UInt16(bits)))
        case .integer: v = .int32(Int32(bitPattern: UInt32(bits)))
        case .long: v = .int64(Int64(bitPattern: bits))
        case .float: v = .float32(Float(bitPattern: UInt32(bits)))
        case .double: v = .float64(Double(bitPattern: bits))
        }
        return SchemaAndValue(schema: kind.schema, value: v)
    }

    public func fromConnectHeader(topic: String, headerKey: String, schema: Schema?, value: Value) throws -> [UInt8]? {
        try fromConnectData(topic: topic, headers: nil, schema: schema, value: value)
    }

    public func toConnectHeader(topic: String, headerKey: String, value: [UInt8]?) throws -> SchemaAndValue {
        try toConnectData(topic: topic, headers: nil, value: value)
    }
}
