/// The primitive and container types of a Kafka Connect schema (`org.apache.kafka.connect.data.Schema.Type`).
///
/// `rawValue` is the lowercase name JsonConverter writes in `"type"`.
public enum SchemaType: String, Sendable, Hashable, CaseIterable {
    case int8, int16, int32, int64
    case float32 = "float", float64 = "double"
    case boolean, string, bytes
    case array, map
    case structure = "struct"

    /// The upper-case name Kafka uses in Java (`INT32`, `STRUCT`, ...), as in connect-utils schema JSON and error messages.
    public var javaName: String {
        switch self {
        case .float32: return "FLOAT32"
        case .float64: return "FLOAT64"
        case .structure: return "STRUCT"
        default: return rawValue.uppercased()
        }
    }

    /// Parses either the JsonConverter name (`int32`, `float`, `struct`) or the Java name (`INT32`, `FLOAT32`, `STRUCT`).
    public init?(anyName: String) {
        if let t = SchemaType(rawValue: anyName) { self = t; return }
        let lower = anyName.lowercased()
        switch lower {
        case "float32": self = .float32
        case "float64": self = .float64
        default:
            guard let t = SchemaType(rawValue: lower) else { return nil }
            self = t
        }
    }

    public var isPrimitive: Bool {
        switch self {
        case .array, .map, .structure: return false
        default: return true
        }
    }
}
