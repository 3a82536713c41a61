import SluiceAPI

/// How to write values of one Connect schema, worked out once per schema instead of per value: the generic
/// `AvroBinaryEncoder.write(_:_:path:)` re-reads the schema's optionality, default, decimal scale (parsed from the
/// parameter text) and field list for every value, and that bookkeeping was most of its cost.
///
/// The plan writes exactly the generic encoder's bytes. It has no error reporting of its own: when a value does not
/// fit (wrong type, required null, enum symbols with `enhanced.avro.schema.support`), `write` answers false and the
/// caller re-encodes with the generic encoder, which produces the error with the field path — or the bytes.
final class AvroWritePlan: Sendable {
    indirect enum Op: Sendable {
        case boolean, integer, float32, float64, string
        case bytes(scale: Int32)
        case array(AvroWritePlan)
        case map(stringKeys: Bool, AvroWritePlan, AvroWritePlan)
        case record([AvroWritePlan])
        /// Not planned: the generic encoder decides.
        case generic
    }

    let op: Op
    let isOptional: Bool
    /// The default substituted for a null (nil also when the default is itself null).
    let defaultValue: Value?
    /// `[T,"null"]` (a default exists) rather than `["null",T]`.
    let valueFirst: Bool

    init(_ schema: Schema, enhanced: Bool, depth: Int = 0) {
        isOptional = schema.isOptional
        defaultValue = schema.defaultValue.flatMap { $0.isNull ? nil : $0 }
        valueFirst = schema.defaultValue != nil
        guard depth < 64 else { op = .generic; return }
        switch schema.type {
        case .boolean: op = .boolean
        case .int8, .int16, .int32, .int64: op = .integer
        case .float32: op = .float32
        case .float64: op = .float64
        case .string: op = enhanced && schema.parameter(AvroFromConnect.enumParam) != nil ? .generic : .string
        case .bytes: op = .bytes(scale: Logical.scale(of: schema))
        case .array:
            guard let item = schema.valueSchema else { op = .generic; return }
            op = .array(AvroWritePlan(item, enhanced: enhanced, depth: depth + 1))
        case .map:
            guard let k = schema.keySchema, let v = schema.valueSchema else { op = .generic; return }
            op = .map(stringKeys: k.type == .string && !k.isOptional,
                      AvroWritePlan(k, enhanced: enhanced, depth: depth + 1), AvroWritePlan(v, enhanced: enhanced, depth: depth + 1))
        case .structure:
            op = .record(schema.fields.map { AvroWritePlan($0.schema, enhanced: enhanced, depth: depth + 1) })
        }
    }
}

extension AvroBinaryEncoder {
    /// Writes `value` as `plan` says; false when the generic encoder must handle it (see `AvroWritePlan`), in which
    /// case `bytes` holds a partial write the caller discards.
    mutating func write(_ value: Value, _ plan: AvroWritePlan) -> Bool {
        if value.isNull {
            if let d = plan.defaultValue { return write(d, plan) }
            guard plan.isOptional else { return false }
            long(plan.valueFirst ? 1 : 0)
            return true
        }
        if plan.isOptional { long(plan.valueFirst ? 0 : 1) }
        switch plan.op {
        case .boolean:
            guard case .boolean(let b) = value else { return false }
            bytes.append(b ? 1 : 0)
        case .integer:
            guard let i = value.int64Value else { return false }
            long(i)
        case .float32:
            if case .float32(let f) = value { append(f.bitPattern) } else if let d = value.doubleValue { append(Float(d).bitPattern) } else { return false }
        case .float64:
            guard let d = value.doubleValue else { return false }
            append(d.bitPattern)
        case .string:
            guard case .string(let t) = value else { return false }
            text(t)
        case .bytes(let scale):
            switch value {
            case .bytes(let b): blob(b)
            case .decimal(let d):
                guard let r = d.scale == scale ? d : d.rescaled(to: scale) else { return false }
                blob(r.twosComplementBytes)
            default: return false
            }
        case .array(let item):
            guard case .array(let items) = value else { return false }
            if !items.isEmpty {
                long(Int64(items.count))
                for e in items { guard write(e, item) else { return false } }
            }
            bytes.append(0)
        case .map(let stringKeys, let k, let v):
            guard case .map(let entries) = value else { return false }
            if !entries.isEmpty {
                long(Int64(entries.count))
                for e in entries {
                    if stringKeys {
                        guard case .string(let key) = e.key else { return false }
                        text(key)
                    } else {
                        guard write(e.key, k) else { return false }
                    }
                    guard write(e.value, v) else { return false }
                }
            }
            bytes.append(0)
        case .record(let fields):
            guard case .structure(let st) = value else { return false }
            let ok = st.values.withUnsafeBufferPointer { values in
                for i in fields.indices {
                    guard write(i < values.count ? values[i] : .null, fields[i]) else { return false }
                }
                return true
            }
            return ok
        case .generic:
            return false
        }
        return true
    }
}
