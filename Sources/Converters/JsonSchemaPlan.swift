import SluiceAPI

/// A schema compiled once for JsonConverter's hot paths: the logical type resolved from the name, struct field names
/// as raw UTF-8 (to match payload keys without making Strings) and as ready-to-copy `"name":` key bytes.
///
/// Plans are cached next to the schema (per Schema instance when serializing, per raw schema bytes when parsing), so a
/// record costs no name comparisons, dictionary lookups or string escaping beyond its own values.
final class JsonSchemaPlan: Sendable {
    enum Kind: Sendable {
        case boolean, int8, int16, int32, int64, float32, float64, string, bytes
        case decimal(scale: Int32)
        case date, time, timestamp
        case array, map, structure
    }

    let schema: Schema
    let kind: Kind
    /// Array items or map values.
    let items: JsonSchemaPlan?
    /// Map keys.
    let keys: JsonSchemaPlan?
    /// Whether a map is written as a JSON object (string keys) rather than an array of `[key, value]` pairs.
    let mapAsObject: Bool
    let fields: [JsonSchemaPlan]
    /// Field names as UTF-8, to compare with payload keys in place.
    let fieldNames: [[UInt8]]
    /// `"name":` with JSON escaping applied, copied verbatim when writing a struct.
    let fieldKeys: [[UInt8]]

    init(_ schema: Schema) {
        self.schema = schema
        self.kind = JsonSchemaPlan.kind(of: schema)
        switch schema.type {
        case .array:
            items = schema.valueSchema.map(JsonSchemaPlan.init)
            keys = nil
            mapAsObject = false
        case .map:
            items = schema.valueSchema.map(JsonSchemaPlan.init)
            keys = schema.keySchema.map(JsonSchemaPlan.init)
            mapAsObject = schema.keySchema?.type == .string
        default:
            items = nil
            keys = nil
            mapAsObject = false
        }
        fields = schema.fields.map { JsonSchemaPlan($0.schema) }
        fieldNames = schema.fields.map { Array($0.name.utf8) }
        fieldKeys = schema.fields.map { f in
            var w = JSONWriter(capacity: f.name.utf8.count + 3)
            w.string(f.name)
            w.raw(UInt8(ascii: ":"))
            return w.bytes
        }
    }

    static func kind(of schema: Schema) -> Kind {
        if let name = schema.name {
            switch (name, schema.type) {
            case (Logical.decimalName, .bytes): return .decimal(scale: Logical.scale(of: schema))
            case (Logical.dateName, .int32): return .date
            case (Logical.timeName, .int32): return .time
            case (Logical.timestampName, .int64): return .timestamp
            default: break
            }
        }
        switch schema.type {
        case .boolean: return .boolean
        case .int8: return .int8
        case .int16: return .int16
        case .int32: return .int32
        case .int64: return .int64
        case .float32: return .float32
        case .float64: return .float64
        case .string: return .string
        case .bytes: return .bytes
        case .array: return .array
        case .map: return .map
        case .structure: return .structure
        }
    }

    /// The index of the field whose UTF-8 name equals `bytes[start..<end]`, trying `hint` first because producers
    /// write fields in schema order.
    @inline(__always)
    func fieldIndex(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, hint: Int) -> Int? {
        let n = end - start
        if hint < fieldNames.count, JsonSchemaPlan.equal(fieldNames[hint], bytes, start, n) { return hint }
        for i in fieldNames.indices where i != hint && JsonSchemaPlan.equal(fieldNames[i], bytes, start, n) {
            return i
        }
        return nil
    }

    @inline(__always)
    static func equal(_ name: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ n: Int) -> Bool {
        guard name.count == n else { return false }
        return name.withUnsafeBufferPointer { nb in
            for i in 0..<n where nb[i] != bytes[start + i] { return false }
            return true
        }
    }
}
