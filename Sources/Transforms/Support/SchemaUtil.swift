import SluiceAPI

/// Schema copying helpers (`org.apache.kafka.connect.transforms.util.SchemaUtil`).
enum SchemaUtil {
    /// A builder of `type` carrying `source`'s name, version, doc and parameters (not optionality or default,
    /// exactly as Kafka's `copySchemaBasics`).
    static func copyBasics(_ source: Schema, to type: SchemaType? = nil) -> SchemaBuilder {
        var b = SchemaBuilder(type: type ?? source.type)
        b.name = source.name
        b.version = source.version
        b.doc = source.doc
        b.parameters = source.parameters
        if type == nil || type == source.type {
            b.keySchema = source.keySchema
            b.valueSchema = source.valueSchema
        }
        return b
    }

    /// A complete copy of `source` with new optionality (and nothing else changed).
    static func copy(_ source: Schema, optional: Bool) -> Schema { source.withOptional(optional) }

    /// Whether `schema` is one of Kafka's built-in logical types (their names must not be carried onto another type).
    static func isLogical(_ schema: Schema) -> Bool {
        switch schema.name {
        case Logical.decimalName, Logical.dateName, Logical.timeName, Logical.timestampName: return true
        default: return false
        }
    }
}
