import SluiceAPI

/// A parsed Avro schema (Avro 1.11), immutable. One class for every kind so that named types can be shared by
/// reference and written once, then referred to by name, as Avro's `Schema.toString()` does.
///
/// Custom properties (`connect.*`, `logicalType`, `scale`, ...) keep their insertion order: the registered text, and so
/// the schema id, depends on it.
public final class AvroSchema: Sendable {
    public enum Kind: String, Sendable {
        case null, boolean, int, long, float, double, bytes, string
        case record, enumeration = "enum", array, map, union, fixed

        /// The primitive named `name`, or nil.
        static func primitive(_ name: String) -> Kind? {
            switch name {
            case "null": return .null
            case "boolean": return .boolean
            case "int": return .int
            case "long": return .long
            case "float": return .float
            case "double": return .double
            case "bytes": return .bytes
            case "string": return .string
            default: return nil
            }
        }

        var isNamed: Bool { self == .record || self == .enumeration || self == .fixed }
    }

    public let kind: Kind
    /// Simple name of a named type (record, enum, fixed).
    public let name: String?
    public let namespace: String?
    public let doc: String?
    public let aliases: [String]
    public let fields: [AvroField]
    public let symbols: [String]
    public let enumDefault: String?
    public let size: Int
    /// Array items or map values.
    public let items: AvroSchema?
    public let branches: [AvroSchema]
    public let props: JSONObject

    public init(
        kind: Kind, name: String? = nil, namespace: String? = nil, doc: String? = nil, aliases: [String] = [],
        fields: [AvroField] = [], symbols: [String] = [], enumDefault: String? = nil, size: Int = 0,
        items: AvroSchema? = nil, branches: [AvroSchema] = [], props: JSONObject = JSONObject()
    ) {
        self.kind = kind
        self.name = name
        self.namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
        self.doc = doc
        self.aliases = aliases
        self.fields = fields
        self.symbols = symbols
        self.enumDefault = enumDefault
        self.size = size
        self.items = items
        self.branches = branches
        self.props = props
    }

    public static func primitive(_ kind: Kind, props: JSONObject = JSONObject()) -> AvroSchema {
        AvroSchema(kind: kind, props: props)
    }

    /// `namespace.name`, or the simple name without a namespace.
    public var fullName: String {
        guard let name else { return kind.rawValue }
        if let namespace { return namespace + "." + name }
        return name
    }

    /// The value of a string property.
    public func prop(_ key: String) -> String? { props[key]?.stringValue }

    public var logicalType: String? { prop("logicalType") }

    /// The canonical text: Avro `Schema.toString()` (compact, Avro's key order). Registries compare this.
    public var canonicalText: String { AvroSchemaWriter.write(self) }

    /// Whether this is the `["null", T]` / `[T, "null"]` shape Connect uses for optional values: the index of the null
    /// branch and the other branch.
    public var optionalShape: (nullIndex: Int, value: AvroSchema)? {
        guard kind == .union, branches.count == 2 else { return nil }
        if branches[0].kind == .null && branches[1].kind != .null { return (0, branches[1]) }
        if branches[1].kind == .null && branches[0].kind != .null { return (1, branches[0]) }
        return nil
    }
}

/// A record field.
public struct AvroField: Sendable {
    public var name: String
    public var schema: AvroSchema
    public var doc: String?
    /// The default as JSON: nil when the field has none, `.null` for `"default":null`.
    public var defaultValue: JSONValue?
    public var order: String?
    public var aliases: [String]
    public var props: JSONObject

    public init(name: String, schema: AvroSchema, doc: String? = nil, defaultValue: JSONValue? = nil,
                order: String? = nil, aliases: [String] = [], props: JSONObject = JSONObject()) {
        self.name = name
        self.schema = schema
        self.doc = doc
        self.defaultValue = defaultValue
        self.order = order
        self.aliases = aliases
        self.props = props
    }
}
