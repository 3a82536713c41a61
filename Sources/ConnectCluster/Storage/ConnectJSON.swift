import SluiceAPI

/// JSON helpers for the internal topics' record formats (schemaless JsonConverter output).
enum ConnectJSON {
    /// The value with every object's keys sorted, recursively: the same map always gives the same bytes, which
    /// compaction and offset lookups by key need.
    static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.dictionary.sorted { $0.key < $1.key }.map { ($0.key, canonical($0.value)) }))
        case .array(let items):
            return .array(items.map(canonical))
        default:
            return value
        }
    }

    static func canonicalObject(_ map: [String: JSONValue]) -> JSONValue { canonical(.object(JSONObject(map.map { ($0.key, $0.value) }))) }

    static func bytes(_ value: JSONValue) -> [UInt8] { Array(value.compactString.utf8) }

    /// Parses a record value; nil for a null value, throws a message naming the key for garbage.
    static func parse(_ bytes: [UInt8]?, key: String, topic: String) throws -> JSONValue? {
        guard let bytes else { return nil }
        do {
            return try JSONReader.parse(bytes)
        } catch {
            throw ConnectStoreError(description: "topic '\(topic)', key '\(key)': value is not JSON (\(error))")
        }
    }

    /// `{"k":"v"}` → `[String: String]`, turning non-string scalars into their text as Connect's REST layer does.
    static func stringMap(_ value: JSONValue?) -> [String: String]? {
        guard let object = value?.objectValue else { return nil }
        var map: [String: String] = [:]
        for member in object { map[member.key] = member.value.configString }
        return map
    }
}

/// A record in an internal topic that cannot be understood (logged and skipped by the stores), or a write that failed.
public struct ConnectStoreError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(description: String) { self.description = description }
}
