import SluiceAPI

/// Type checks on record parts with Kafka's wording (`org.apache.kafka.connect.transforms.util.Requirements`).
enum Requirements {
    static func requireStruct(_ value: Value, _ purpose: String) throws -> Struct {
        guard case .structure(let s) = value else {
            throw ConnectError(.dataException, "Only Struct objects supported for [\(purpose)], found: \(value.kindName)")
        }
        return s
    }

    /// `requireStruct` for a transform that replaces `value` anyway: moves the struct out and leaves `.null`, with
    /// no reference counting, so a struct whose values only `value` held can be rewritten in place. On a throw,
    /// `value` is untouched.
    @inline(__always)
    static func takeStruct(_ value: inout Value, _ purpose: String) throws -> Struct {
        guard case .structure = value else {
            throw ConnectError(.dataException, "Only Struct objects supported for [\(purpose)], found: \(value.kindName)")
        }
        var taken = Value.null
        swap(&taken, &value)
        guard case .structure(let s) = consume taken else { preconditionFailure("checked above") }
        return s
    }

    static func requireStructOrNull(_ value: Value, _ purpose: String) throws -> Struct? {
        if value.isNull { return nil }
        return try requireStruct(value, purpose)
    }

    static func requireMap(_ value: Value, _ purpose: String) throws -> [MapEntry] {
        guard case .map(let entries) = value else {
            throw ConnectError(
                .dataException, "Only Map objects supported in absence of schema for [\(purpose)], found: \(value.kindName)")
        }
        return entries
    }

    static func requireMapOrNull(_ value: Value, _ purpose: String) throws -> [MapEntry]? {
        if value.isNull { return nil }
        return try requireMap(value, purpose)
    }

    /// Checks that a struct has one value per field of `schema` (the record schema the transform planned with),
    /// so a struct built against another schema fails cleanly instead of indexing out of range.
    static func requireLayout(_ s: Struct, _ schema: Schema, _ purpose: String) throws {
        guard s.values.count == schema.fields.count, s.values.count == s.schema.fields.count else {
            throw ConnectError(.dataException,
                "Struct with \(s.values.count) values does not match its schema of \(schema.fields.count) fields for [\(purpose)]")
        }
    }

    static func requireSchema(_ schema: Schema?, _ purpose: String) throws -> Schema {
        guard let schema else { throw ConnectError(.dataException, "Schema required for [\(purpose)]") }
        return schema
    }

    static func requireSinkRecord<R: ConnectRecord>(_ record: R, _ purpose: String) throws -> SinkRecord {
        guard let sink = record as? SinkRecord else {
            throw ConnectError(.dataException, "Only SinkRecord supported for [\(purpose)], found: \(type(of: record))")
        }
        return sink
    }
}
