/// A parsed JSON document. Objects keep their member order so that what we read can be written back byte-for-byte.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var isNull: Bool { if case .null = self { return true } else { return false } }
    public var int64Value: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d): return d == d.rounded() && abs(d) < 9.2e18 ? Int64(d) : nil
        default: return nil
        }
    }
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// Compact JSON text (no spaces), the form Kafka Connect writes to its internal topics.
    public var compactString: String {
        var w = JSONWriter()
        w.write(self)
        return w.string
    }

    /// A config-style string of a scalar: JSON strings as is, numbers and booleans as text (connector JSON mixes both).
    public var configString: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return JSONWriter.javaDouble(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return nil
        case .array, .object: return compactString
        }
    }
}

/// A JSON object with ordered members.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
    }
    public private(set) var members: [Member]

    public init() { members = [] }
    public init(_ pairs: [(String, JSONValue)]) { members = pairs.map { Member(key: $0.0, value: $0.1) } }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }

    public var count: Int { members.count }
    public var keys: [String] { members.map(\.key) }
    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    public subscript(key: String) -> JSONValue? {
        get { members.last(where: { $0.key == key })?.value }
        set {
            if let i = members.lastIndex(where: { $0.key == key }) {
                if let newValue { members[i].value = newValue } else { members.remove(at: i) }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    /// Members as a dictionary (last duplicate wins).
    public var dictionary: [String: JSONValue] {
        var d: [String: JSONValue] = [:]
        for m in members { d[m.key] = m.value }
        return d
    }
}

extension JSONValue {
    /// An object from a dictionary, keys sorted so that the same map always gives the same bytes (offset keys must
    /// be byte-identical for compaction).
    public static func sortedObject(_ d: [String: JSONValue]) -> JSONValue {
        .object(JSONObject(d.sorted(by: { $0.key < $1.key }).map { ($0.key, $0.value) }))
    }

    /// An object of string values, keys sorted.
    public static func stringMap(_ d: [String: String]) -> JSONValue {
        .object(JSONObject(d.sorted(by: { $0.key < $1.key }).map { ($0.key, .string($0.value)) }))
    }
}
