/// Fluent builder for `Schema`, mirroring `org.apache.kafka.connect.data.SchemaBuilder`.
///
///     let s = SchemaBuilder.struct().name("orders.Value")
///         .field("id", .int64).field("note", .optionalString).build()
public struct SchemaBuilder: Sendable {
    public var type: SchemaType
    public var isOptional = false
    public var defaultValue: Value?
    public var name: String?
    public var version: Int32?
    public var doc: String?
    public var parameters: [SchemaParameter]?
    public var fields: [(String, Schema)] = []
    public var keySchema: Schema?
    public var valueSchema: Schema?

    public init(type: SchemaType) { self.type = type }

    public static func `struct`() -> SchemaBuilder { SchemaBuilder(type: .structure) }
    public static func array(_ items: Schema) -> SchemaBuilder {
        var b = SchemaBuilder(type: .array)
        b.valueSchema = items
        return b
    }
    public static func map(_ keys: Schema, _ values: Schema) -> SchemaBuilder {
        var b = SchemaBuilder(type: .map)
        b.keySchema = keys
        b.valueSchema = values
        return b
    }

    public func optional(_ flag: Bool = true) -> SchemaBuilder { var b = self; b.isOptional = flag; return b }
    public func name(_ n: String?) -> SchemaBuilder { var b = self; b.name = n; return b }
    public func version(_ v: Int32?) -> SchemaBuilder { var b = self; b.version = v; return b }
    public func doc(_ d: String?) -> SchemaBuilder { var b = self; b.doc = d; return b }
    public func defaultValue(_ v: Value?) -> SchemaBuilder { var b = self; b.defaultValue = v; return b }
    public func parameter(_ key: String, _ value: String) -> SchemaBuilder {
        var b = self
        var p = b.parameters ?? []
        if let i = p.firstIndex(where: { $0.key == key }) { p[i].value = value } else { p.append(SchemaParameter(key, value)) }
        b.parameters = p
        return b
    }
    public func field(_ name: String, _ schema: Schema) -> SchemaBuilder {
        var b = self
        b.fields.append((name, schema))
        return b
    }
    public mutating func addField(_ name: String, _ schema: Schema) { fields.append((name, schema)) }

    public func build() -> Schema {
        Schema(
            type: type, isOptional: isOptional, defaultValue: defaultValue, name: name, version: version, doc: doc,
            parameters: parameters, fields: fields, keySchema: keySchema, valueSchema: valueSchema)
    }
}
