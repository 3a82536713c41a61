import SluiceAPI

/// A schema's reference to a schema registered under another subject version
/// (`{"name":"acme/address.proto","subject":"address","version":1}`): Protobuf imports, JSON Schema `$ref`s, and
/// Avro named types defined in another registered schema. Part of a schema's identity: the same text with other
/// references is another schema (another id).
public struct SchemaReference: Sendable, Hashable {
    public var name: String
    public var subject: String
    public var version: Int

    public init(name: String, subject: String, version: Int) {
        self.name = name
        self.subject = subject
        self.version = version
    }

    /// Confluent's member order: name, subject, version.
    public var json: JSONValue {
        .object(JSONObject([("name", .string(name)), ("subject", .string(subject)), ("version", .int(Int64(version)))]))
    }

    /// A `references` member (REST body or SCHEMA record value); absent or null is none. A malformed entry is a
    /// 42201 naming it.
    public static func list(_ value: JSONValue?) throws(SchemaRegistryError) -> [SchemaReference] {
        guard let value, value != .null else { return [] }
        guard let items = value.arrayValue else { throw .invalidSchema("Invalid schema references: \(value.compactString.prefix(200))") }
        var out: [SchemaReference] = []
        for item in items {
            guard let name = item["name"]?.stringValue, let subject = item["subject"]?.stringValue,
                  let version = item["version"]?.int64Value, version >= 1, version <= Int64(Int32.max) else {
                throw .invalidSchema("Invalid schema reference \(item.compactString.prefix(200)): name, subject and version (1 or more) are required")
            }
            out.append(SchemaReference(name: name, subject: subject, version: Int(version)))
        }
        return out
    }

    /// The identity suffix of a reference list (empty for none, so schemas without references keep their identity).
    static func identity(_ refs: [SchemaReference]) -> String {
        refs.map { "\u{0}\($0.name)\u{1}\($0.subject)\u{1}\($0.version)" }.joined()
    }
}
