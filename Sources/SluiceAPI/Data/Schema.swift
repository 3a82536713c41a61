/// An immutable Kafka Connect schema (`org.apache.kafka.connect.data.ConnectSchema`).
///
/// A reference type so that records share one schema instance cheaply; equality is structural, as in Kafka Connect,
/// with an identity fast path. Build one with `SchemaBuilder` or use the predefined constants.
public final class Schema: Sendable, Hashable, CustomStringConvertible {
    public let type: SchemaType
    public let isOptional: Bool
    public let defaultValue: Value?
    public let name: String?
    public let version: Int32?
    public let doc: String?
    public let parameters: [SchemaParameter]?
    public let fields: [Field]
    public let keySchema: Schema?
    public let valueSchema: Schema?
    private let fieldIndex: [String: Int]

    public init(
        type: SchemaType, isOptional: Bool = false, defaultValue: Value? = nil, name: String? = nil,
        version: Int32? = nil, doc: String? = nil, parameters: [SchemaParameter]? = nil,
        fields: [(String, Schema)] = [], keySchema: Schema? = nil, valueSchema: Schema? = nil
    ) {
        self.type = type
        self.isOptional = isOptional
        self.defaultValue = defaultValue
        self.name = name
        self.version = version
        self.doc = doc
        self.parameters = parameters
        var built: [Field] = []
        built.reserveCapacity(fields.count)
        var index: [String: Int] = [:]
        for (i, (n, s)) in fields.enumerated() {
            built.append(Field(name: n, index: i, schema: s))
            index[n] = i
        }
        self.fields = built
        self.fieldIndex = index
        self.keySchema = keySchema
        self.valueSchema = valueSchema
    }

    /// The field called `name`, or nil.
    public func field(_ name: String) -> Field? {
        guard let i = fieldIndex[name] else { return nil }
        return fields[i]
    }

    /// The value of parameter `key`, or nil.
    public func parameter(_ key: String) -> String? {
        parameters?.first(where: { $0.key == key })?.value
    }

    /// A copy of this schema with a different optionality (used when a value is nested under an optional parent).
    public func withOptional(_ optional: Bool) -> Schema {
        if optional == isOptional { return self }
        return Schema(
            type: type, isOptional: optional, defaultValue: defaultValue, name: name, version: version, doc: doc,
            parameters: parameters, fields: fields.map { ($0.name, $0.schema) }, keySchema: keySchema,
            valueSchema: valueSchema)
    }

    public static func == (lhs: Schema, rhs: Schema) -> Bool {
        if lhs === rhs { return true }
        return lhs.type == rhs.type && lhs.isOptional == rhs.isOptional && lhs.name == rhs.name
            && lhs.version == rhs.version && lhs.doc == rhs.doc && lhs.parameters == rhs.parameters
            && lhs.defaultValue == rhs.defaultValue && lhs.fields == rhs.fields && lhs.keySchema == rhs.keySchema
            && lhs.valueSchema == rhs.valueSchema
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(isOptional)
        hasher.combine(name)
        hasher.combine(fields.count)
    }

    public var description: String {
        var s = "Schema{"
        if let name { s += name + ":" }
        s += type.javaName
        if type == .structure { s += "{" + fields.map { "\($0.name):\($0.schema)" }.joined(separator: ",") + "}" }
        return s + "}"
    }
}

extension Schema {
    public static let int8 = Schema(type: .int8)
    public static let int16 = Schema(type: .int16)
    public static let int32 = Schema(type: .int32)
    public static let int64 = Schema(type: .int64)
    public static let float32 = Schema(type: .float32)
    public static let float64 = Schema(type: .float64)
    public static let boolean = Schema(type: .boolean)
    public static let string = Schema(type: .string)
    public static let bytes = Schema(type: .bytes)
    public static let optionalInt8 = Schema(type: .int8, isOptional: true)
    public static let optionalInt16 = Schema(type: .int16, isOptional: true)
    public static let optionalInt32 = Schema(type: .int32, isOptional: true)
    public static let optionalInt64 = Schema(type: .int64, isOptional: true)
    public static let optionalFloat32 = Schema(type: .float32, isOptional: true)
    public static let optionalFloat64 = Schema(type: .float64, isOptional: true)
    public static let optionalBoolean = Schema(type: .boolean, isOptional: true)
    public static let optionalString = Schema(type: .string, isOptional: true)
    public static let optionalBytes = Schema(type: .bytes, isOptional: true)

    /// The schema of a primitive type, required or optional.
    public static func primitive(_ type: SchemaType, optional: Bool) -> Schema {
        switch (type, optional) {
        case (.int8, false): return .int8
        case (.int16, false): return .int16
        case (.int32, false): return .int32
        case (.int64, false): return .int64
        case (.float32, false): return .float32
        case (.float64, false): return .float64
        case (.boolean, false): return .boolean
        case (.string, false): return .string
        case (.bytes, false): return .bytes
        case (.int8, true): return .optionalInt8
        case (.int16, true): return .optionalInt16
        case (.int32, true): return .optionalInt32
        case (.int64, true): return .optionalInt64
        case (.float32, true): return .optionalFloat32
        case (.float64, true): return .optionalFloat64
        case (.boolean, true): return .optionalBoolean
        case (.string, true): return .optionalString
        case (.bytes, true): return .optionalBytes
        default: return Schema(type: type, isOptional: optional)
        }
    }
}
