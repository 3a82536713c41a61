/// Checks a value against a schema, as `ConnectSchema.validateValue` does.
public enum ValueValidator {
    public static func validate(_ value: Value, against schema: Schema, path: String) throws {
        if value.isNull {
            if schema.isOptional || schema.defaultValue != nil { return }
            throw ConnectError(.dataException, "Invalid value: null used for required field: \"\(path)\", schema type: \(schema.type.javaName)")
        }
        let ok: Bool
        switch (schema.type, value) {
        case (.int8, .int8), (.int16, .int16), (.int32, .int32), (.int64, .int64), (.float32, .float32),
            (.float64, .float64), (.boolean, .boolean), (.string, .string), (.bytes, .bytes), (.bytes, .decimal):
            ok = true
        case (.array, .array(let items)):
            if let item = schema.valueSchema {
                for (i, v) in items.enumerated() { try validate(v, against: item, path: "\(path)[\(i)]") }
            }
            ok = true
        case (.map, .map(let entries)):
            for e in entries {
                if let k = schema.keySchema { try validate(e.key, against: k, path: "\(path).key") }
                if let v = schema.valueSchema { try validate(e.value, against: v, path: "\(path).value") }
            }
            ok = true
        case (.structure, .structure(let s)):
            ok = s.schema == schema
            if !ok {
                throw ConnectError(.dataException, "Struct schemas do not match for field \"\(path)\".")
            }
        default:
            ok = false
        }
        if !ok {
            throw ConnectError(.dataException, "Invalid Java object for schema with type \(schema.type.javaName): \(value.kindName) for field: \"\(path)\"")
        }
    }
}
