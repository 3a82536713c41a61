/// A struct value laid out by its schema's field positions (`org.apache.kafka.connect.data.Struct`).
public struct Struct: Sendable, Hashable {
    public let schema: Schema
    public private(set) var values: [Value]

    public init(schema: Schema) {
        precondition(schema.type == .structure, "Struct needs a STRUCT schema")
        self.schema = schema
        self.values = Array(repeating: .null, count: schema.fields.count)
    }

    /// Builds a struct from values already in field order (no validation; used by decoders on the hot path).
    public init(schema: Schema, values: [Value]) {
        self.schema = schema
        self.values = values
    }

    /// The value of field `name`; `.null` when unset. Unknown names return nil.
    public subscript(name: String) -> Value? {
        guard let f = schema.field(name) else { return nil }
        return values[f.index]
    }

    public subscript(index: Int) -> Value {
        get { values[index] }
        set { values[index] = newValue }
    }

    /// The value of field `name`, throwing `ConnectError` for an unknown field (as `Struct.get` does).
    public func get(_ name: String) throws -> Value {
        guard let f = schema.field(name) else {
            throw ConnectError(.dataException, "\(name) is not a valid field name")
        }
        let v = values[f.index]
        if v.isNull, let d = f.schema.defaultValue { return d }
        return v
    }

    /// Sets field `name`, checking the value against the field schema.
    @discardableResult
    public mutating func put(_ name: String, _ value: Value) throws -> Struct {
        guard let f = schema.field(name) else {
            throw ConnectError(.dataException, "\(name) is not a valid field name")
        }
        try ValueValidator.validate(value, against: f.schema, path: name)
        values[f.index] = value
        return self
    }

    /// Checks that every required field is set and typed as its schema says.
    public func validate() throws {
        for f in schema.fields {
            try ValueValidator.validate(values[f.index], against: f.schema, path: f.name)
        }
    }
}
