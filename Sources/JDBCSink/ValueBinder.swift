import Foundation
import SQL
import SluiceAPI

/// Turns Connect values into typed `SQLValue`s for binding (never into SQL text): integers stay integers, Decimal
/// stays exact, Date/Time/Timestamp become database temporals (shifted to `db.timezone` wall-clock time), bytes stay
/// bytes, and nested structs, arrays and maps become JSON text for a json/jsonb/TEXT column.
struct ValueBinder: Sendable {
    let timeZone: TimeZone?

    /// The row of a record for `columns` (in order).
    func row(_ record: SinkRecord, _ columns: [ColumnPlan]) throws -> [SQLValue] {
        var out: [SQLValue] = []
        out.reserveCapacity(columns.count)
        let valueStruct = record.value.structValue
        let keyStruct = record.key.structValue
        for c in columns {
            let v: Value
            switch c.source {
            case .kafkaTopic: out.append(.text(record.topic)); continue
            case .kafkaPartition: out.append(.int(Int64(record.kafkaPartition ?? -1))); continue
            case .kafkaOffset: out.append(.int(record.kafkaOffset)); continue
            case .key: v = record.key
            case .keyField(let i): v = keyStruct.map { $0.values[i] } ?? .null
            case .valueField(let i): v = valueStruct.map { $0.values[i] } ?? .null
            }
            out.append(try bind(v, c.schema, column: c.name))
        }
        return out
    }

    /// One value typed by its schema.
    func bind(_ value: Value, _ schema: Schema, column: String) throws -> SQLValue {
        if case .null = value {
            if let d = schema.defaultValue, !d.isNull { return try bind(d, schema, column: column) }
            if !schema.isOptional {
                throw ConnectError(.dataException, "column '\(column)': null value for a required (non-optional) field")
            }
            return .null
        }
        if let name = schema.name {
            switch name {
            case Logical.timestampName:
                guard let ms = value.int64Value else { throw mismatch(value, schema, column) }
                return .timestamp(shift(ms &* 1000))
            case Logical.dateName:
                guard let days = value.int64Value else { throw mismatch(value, schema, column) }
                return .date(Int32(truncatingIfNeeded: days))
            case Logical.timeName:
                guard let ms = value.int64Value else { throw mismatch(value, schema, column) }
                var t = shift(ms &* 1000) % SQLTemporal.microsPerDay
                if t < 0 { t += SQLTemporal.microsPerDay }
                return .time(t)
            case Logical.decimalName:
                switch value {
                case .decimal(let d): return .decimal(d)
                case .bytes(let b): return .decimal(ConnectDecimal(twosComplement: b, scale: Logical.scale(of: schema)))
                default: throw mismatch(value, schema, column)
                }
            default: break
            }
        }
        switch (schema.type, value) {
        case (.boolean, .boolean(let b)): return .bool(b)
        case (.int8, .int8(let v)): return .int(Int64(v))
        case (.int16, .int16(let v)): return .int(Int64(v))
        case (.int32, .int32(let v)): return .int(Int64(v))
        case (.int64, .int64(let v)): return .int(v)
        case (.float32, .float32(let v)): return .float(v)
        case (.float64, .float64(let v)): return .double(v)
        case (.string, .string(let s)): return .text(s)
        case (.bytes, .bytes(let b)): return .bytes(b)
        case (.structure, .structure), (.array, .array), (.map, .map): return .json(ValueJSON.text(value))
        default: break
        }
        // Schemaless records carry inferred schemas; accept any integer width the same way.
        if let i = value.int64Value, [.int8, .int16, .int32, .int64].contains(schema.type) { return .int(i) }
        if case .float32(let f) = value, schema.type == .float64 { return .double(Double(f)) }
        throw mismatch(value, schema, column)
    }

    /// Epoch microseconds as wall-clock microseconds in `db.timezone` (what a TIMESTAMP column without zone holds).
    @inline(__always)
    func shift(_ micros: Int64) -> Int64 {
        guard let tz = timeZone else { return micros }
        let secs = Double(micros / 1_000_000)
        return micros + Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: secs))) * 1_000_000
    }

    func mismatch(_ value: Value, _ schema: Schema, _ column: String) -> ConnectError {
        ConnectError(.dataException,
            "column '\(column)': a \(value.kindName) value does not match the field schema \(schema.name ?? schema.type.javaName)")
    }
}
