/// A config value after parsing to its declared type.
public enum ConfigParsedValue: Sendable, Hashable {
    case null
    case boolean(Bool)
    case string(String)
    case int(Int64)
    case double(Double)
    case list([String])
    case password(String)

    public var stringValue: String? {
        switch self {
        case .string(let s), .password(let s): return s
        default: return nil
        }
    }
    public var listValue: [String]? { if case .list(let l) = self { return l } else { return nil } }
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
    /// Text form, as REST shows values and as they round-trip into configs.
    public var text: String? {
        switch self {
        case .null: return nil
        case .boolean(let b): return b ? "true" : "false"
        case .string(let s): return s
        case .password: return "[hidden]"
        case .int(let i): return String(i)
        case .double(let d): return JSONWriter.javaDouble(d)
        case .list(let l): return l.joined(separator: ",")
        }
    }
}
