import SluiceAPI

/// A value bound to or read from any database, with its real type, so no layer ever formats values into SQL text.
///
/// Temporal values are plain integers in UTC so they convert to and from Kafka Connect's Date/Time/Timestamp without a
/// calendar library: connections set their session time zone to UTC.
public enum SQLValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Float)
    case double(Double)
    case decimal(ConnectDecimal)
    case text(String)
    case bytes([UInt8])
    /// Days since 1970-01-01.
    case date(Int32)
    /// Microseconds since midnight.
    case time(Int64)
    /// Microseconds since 1970-01-01T00:00:00Z.
    case timestamp(Int64)
    /// JSON document text (PostgreSQL json/jsonb, MySQL JSON).
    case json(String)

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The value as an Int64 when it is an integer (or a boolean), for callers reading counts and ids.
    public var intValue: Int64? {
        switch self {
        case .int(let v): return v
        case .bool(let b): return b ? 1 : 0
        case .decimal(let d): return d.scale == 0 ? d.unscaledInt64 : d.rescaled(to: 0)?.unscaledInt64
        case .text(let s): return Int64(s)
        default: return nil
        }
    }

    /// The value as text when it is textual (text or json).
    public var textValue: String? {
        switch self {
        case .text(let s), .json(let s): return s
        default: return nil
        }
    }

    /// The case's name, for error messages that must not print the value itself.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .double: return "double"
        case .decimal: return "decimal"
        case .text: return "text"
        case .bytes: return "bytes"
        case .date: return "date"
        case .time: return "time"
        case .timestamp: return "timestamp"
        case .json: return "json"
        }
    }

    /// A readable rendering for logs and test failures (never used to build SQL).
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .bool(let b): return String(b)
        case .int(let v): return String(v)
        case .float(let v): return "\(v)f"
        case .double(let v): return String(v)
        case .decimal(let d): return "decimal(\(d))"
        case .text(let s): return "'\(s)'"
        case .bytes(let b): return "bytes(\(b.count))"
        case .date(let d): return "date(\(SQLTemporal.formatDate(d)))"
        case .time(let t): return "time(\(SQLTemporal.formatTime(t)))"
        case .timestamp(let t): return "timestamp(\(SQLTemporal.formatTimestamp(t)))"
        case .json(let s): return "json(\(s))"
        }
    }
}
