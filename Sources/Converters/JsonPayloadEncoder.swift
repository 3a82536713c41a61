import JavaCompat
import SluiceAPI

/// Writes Connect values as JsonConverter's payload JSON (`JsonConverter.convertToJson` in Kafka), straight into the
/// output buffer: no intermediate JSON tree, struct keys copied from the compiled plan.
struct JsonPayloadEncoder: Sendable {
    let decimalFormat: JsonConverterConfig.DecimalFormat
    let replaceNullWithDefault: Bool

    func write(_ value: Value, _ plan: JsonSchemaPlan, into w: inout JSONWriter) throws {
        if case .null = value {
            let schema = plan.schema
            if let d = schema.defaultValue, replaceNullWithDefault {
                try write(d, plan, into: &w)
            } else if schema.isOptional {
                w.null()
            } else {
                throw ConnectError(.dataException, "Conversion error: null value for field that is required and has no default value")
            }
            return
        }
        switch (plan.kind, value) {
        case (.int64, .int64(let v)), (.timestamp, .int64(let v)): w.int(v)
        case (.int32, .int32(let v)), (.date, .int32(let v)), (.time, .int32(let v)): w.int(Int64(v))
        case (.int16, .int16(let v)): w.int(Int64(v))
        case (.int8, .int8(let v)): w.int(Int64(v))
        case (.string, .string(let s)): w.string(s)
        case (.boolean, .boolean(let b)): w.bool(b)
        case (.float64, .float64(let d)): JsonPayloadEncoder.writeDouble(d, into: &w)
        case (.float32, .float32(let f)): JsonPayloadEncoder.writeFloat(f, into: &w)
        case (.bytes, .bytes(let b)): JsonPayloadEncoder.writeBase64(b, into: &w)
        case (.decimal(let scale), .decimal(let d)): try writeDecimal(d, scale: scale, into: &w)
        case (.date, _), (.time, _), (.timestamp, _):
            // Lenient: any integer width is an unambiguous day/millisecond count.
            guard let v = value.int64Value else { throw invalidType(plan, value) }
            w.int(v)
        case (.structure, .structure(let s)):
            guard s.schema === plan.schema || s.schema == plan.schema else {
                throw ConnectError(.dataException, "Mismatching schema.")
            }
            w.raw(UInt8(ascii: "{"))
            for i in 0..<plan.fields.count {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                w.bytes.append(contentsOf: plan.fieldKeys[i])
                try write(i < s.values.count ? s.values[i] : .null, plan.fields[i], into: &w)
            }
            w.raw(UInt8(ascii: "}"))
        case (.array, .array(let items)):
            w.raw(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                if let p = plan.items { try write(item, p, into: &w) } else { try writeSchemaless(item, into: &w) }
            }
            w.raw(UInt8(ascii: "]"))
        case (.map, .map(let entries)):
            try writeMap(entries, plan, into: &w)
        default:
            throw invalidType(plan, value)
        }
    }

    func writeMap(_ entries: [MapEntry], _ plan: JsonSchemaPlan, into w: inout JSONWriter) throws {
        if plan.mapAsObject {
            w.raw(UInt8(ascii: "{"))
            for (i, e) in entries.enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                switch e.key {
                case .string(let k): w.string(k)
                case .null:
                    // Kafka converts the key first and takes its text: the default, or NullNode's "null".
                    let keySchema = plan.keys?.schema
                    if let d = keySchema?.defaultValue?.stringValue, replaceNullWithDefault {
                        w.string(d)
                    } else if keySchema?.isOptional ?? true {
                        w.string("null")
                    } else {
                        throw ConnectError(.dataException, "Conversion error: null value for field that is required and has no default value")
                    }
                default: throw invalidType(plan.keys ?? plan, e.key)
                }
                w.raw(UInt8(ascii: ":"))
                if let p = plan.items { try write(e.value, p, into: &w) } else { try writeSchemaless(e.value, into: &w) }
            }
            w.raw(UInt8(ascii: "}"))
            return
        }
        w.raw(UInt8(ascii: "["))
        for (i, e) in entries.enumerated() {
            if i > 0 { w.raw(UInt8(ascii: ",")) }
            w.raw(UInt8(ascii: "["))
            if let p = plan.keys { try write(e.key, p, into: &w) } else { try writeSchemaless(e.key, into: &w) }
            w.raw(UInt8(ascii: ","))
            if let p = plan.items { try write(e.value, p, into: &w) } else { try writeSchemaless(e.value, into: &w) }
            w.raw(UInt8(ascii: "]"))
        }
        w.raw(UInt8(ascii: "]"))
    }

    /// Values without a schema: the JSON type follows the value, as Kafka infers it from the Java class.
    func writeSchemaless(_ value: Value, into w: inout JSONWriter) throws {
        switch value {
        case .null: w.null()
        case .boolean(let b): w.bool(b)
        case .int8(let v): w.int(Int64(v))
        case .int16(let v): w.int(Int64(v))
        case .int32(let v): w.int(Int64(v))
        case .int64(let v): w.int(v)
        case .float32(let f): JsonPayloadEncoder.writeFloat(f, into: &w)
        case .float64(let d): JsonPayloadEncoder.writeDouble(d, into: &w)
        case .string(let s): w.string(s)
        case .bytes(let b): JsonPayloadEncoder.writeBase64(b, into: &w)
        case .decimal:
            throw ConnectError(.dataException, "Java class class java.math.BigDecimal does not have corresponding schema type.")
        case .structure:
            throw ConnectError(.dataException, "Mismatching schema.")
        case .array(let items):
            w.raw(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                try writeSchemaless(item, into: &w)
            }
            w.raw(UInt8(ascii: "]"))
        case .map(let entries):
            let objectMode = entries.allSatisfy { if case .string = $0.key { return true } else { return false } }
            w.raw(UInt8(ascii: objectMode ? "{" : "["))
            for (i, e) in entries.enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                if objectMode {
                    w.string(e.key.stringValue ?? "")
                    w.raw(UInt8(ascii: ":"))
                    try writeSchemaless(e.value, into: &w)
                } else {
                    w.raw(UInt8(ascii: "["))
                    try writeSchemaless(e.key, into: &w)
                    w.raw(UInt8(ascii: ","))
                    try writeSchemaless(e.value, into: &w)
                    w.raw(UInt8(ascii: "]"))
                }
            }
            w.raw(UInt8(ascii: objectMode ? "}" : "]"))
        }
    }

    func writeDecimal(_ d: ConnectDecimal, scale: Int32, into w: inout JSONWriter) throws {
        switch decimalFormat {
        case .numeric:
            d.writeJava(into: &w.bytes)
        case .base64:
            guard d.scale == scale else {
                throw ConnectError(.dataException, "Decimal value has mismatching scale for given Decimal schema. Schema has scale \(scale), value has scale \(d.scale).")
            }
            w.raw(UInt8(ascii: "\""))
            if let v = d.unscaledInt64 {
                // Minimal big-endian two's complement, as BigInteger.toByteArray() gives, without an array.
                var be = v.bigEndian
                withUnsafeBytes(of: &be) { raw in
                    var start = 0
                    while start < 7 {
                        let b = raw[start], next = raw[start + 1]
                        if (b == 0 && next & 0x80 == 0) || (b == 0xFF && next & 0x80 != 0) { start += 1 } else { break }
                    }
                    Base64.encode(UnsafeRawBufferPointer(rebasing: raw[start...]), into: &w.bytes)
                }
            } else {
                Base64.encode(d.twosComplementBytes, into: &w.bytes)
            }
            w.raw(UInt8(ascii: "\""))
        }
    }

    static func writeBase64(_ b: [UInt8], into w: inout JSONWriter) {
        w.raw(UInt8(ascii: "\""))
        Base64.encode(b, into: &w.bytes)
        w.raw(UInt8(ascii: "\""))
    }

    /// Jackson writes non-finite numbers as quoted strings (`"NaN"`), everything else as Java's `Double.toString`.
    static func writeDouble(_ d: Double, into w: inout JSONWriter) {
        if d.isFinite {
            if d == d.rounded(.towardZero), abs(d) < 1e7, d != 0 || d.sign == .plus {
                // Integral values below 10^7 print as "123.0" in Java: skip the general formatter.
                w.int(Int64(d))
                w.raw(".0")
            } else {
                JavaNumberText.appendDouble(d, into: &w.bytes)
            }
        } else {
            w.string(JSONWriter.javaDouble(d))
        }
    }

    static func writeFloat(_ f: Float, into w: inout JSONWriter) {
        if f.isFinite { JavaNumberText.appendFloat(f, into: &w.bytes) } else { w.string(JSONWriter.javaFloat(f)) }
    }

    func invalidType(_ plan: JsonSchemaPlan, _ value: Value) -> ConnectError {
        switch plan.kind {
        case .decimal:
            return ConnectError(.dataException, "Invalid type for Decimal, expected BigDecimal but was \(JsonPayloadEncoder.javaClass(value))")
        case .date, .time, .timestamp:
            let n = plan.schema.name?.split(separator: ".").last.map(String.init) ?? "Date"
            return ConnectError(.dataException, "Invalid type for \(n), expected Date but was \(JsonPayloadEncoder.javaClass(value))")
        default:
            return ConnectError(.dataException, "Invalid type for \(plan.schema.type.javaName): \(JsonPayloadEncoder.javaClass(value))")
        }
    }

    /// The Java class Kafka would name in its message for a value of this kind.
    static func javaClass(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bytes: return "class [B"
        case .decimal: return "class java.math.BigDecimal"
        case .array: return "class java.util.ArrayList"
        case .map: return "class java.util.HashMap"
        case .structure: return "class org.apache.kafka.connect.data.Struct"
        default: return "class java.lang.\(value.kindName)"
        }
    }
}
