/// A Kafka Connect value: what a `Schema` describes.
///
/// Logical types keep their underlying representation so conversion stays cheap: Date and Time are `.int32`
/// (days since epoch, milliseconds of day), Timestamp is `.int64` (epoch milliseconds); the schema's `name` says which.
/// Decimal is its own case because its bytes depend on the schema's scale.
public enum Value: Sendable, Hashable {
    case null
    case boolean(Bool)
    case int8(Int8)
    case int16(Int16)
    case int32(Int32)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    case string(String)
    case bytes([UInt8])
    case decimal(ConnectDecimal)
    case array([Value])
    case map([MapEntry])
    case structure(Struct)

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The value as an Int64 if it is any integer type.
    public var int64Value: Int64? {
        switch self {
        case .int8(let v): return Int64(v)
        case .int16(let v): return Int64(v)
        case .int32(let v): return Int64(v)
        case .int64(let v): return v
        default: return nil
        }
    }

    /// The value as a Double if it is numeric.
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        case .decimal(let d): return d.doubleValue
        default: return int64Value.map(Double.init)
        }
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var structValue: Struct? { if case .structure(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .boolean(let b) = self { return b } else { return nil } }

    /// A short name of the case, for error messages.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .boolean: return "Boolean"
        case .int8: return "Byte"
        case .int16: return "Short"
        case .int32: return "Integer"
        case .int64: return "Long"
        case .float32: return "Float"
        case .float64: return "Double"
        case .string: return "String"
        case .bytes: return "byte[]"
        case .decimal: return "BigDecimal"
        case .array: return "List"
        case .map: return "Map"
        case .structure: return "Struct"
        }
    }
}

/// One entry of a map value. Maps keep insertion order (JSON objects are read in order).
public struct MapEntry: Sendable, Hashable {
    public var key: Value
    public var value: Value
    public init(_ key: Value, _ value: Value) {
        self.key = key
        self.value = value
    }
}

extension Value {
    /// Looks up a string key in a map value.
    public subscript(mapKey key: String) -> Value? {
        guard case .map(let entries) = self else { return nil }
        return entries.first(where: { $0.key == .string(key) })?.value
    }
}
