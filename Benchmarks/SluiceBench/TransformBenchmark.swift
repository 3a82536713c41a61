import SluiceAPI
import Transforms

/// Measures the cost of a 3-transform chain (InsertField static → ReplaceField renames → Cast on two fields) on
/// 7-column "orders" struct records, against the same loop without transforms (issue 7's ≤ 15% budget).
///
/// Both loops build each record and serialize its value to schemaless JSON with `JSONWriter`, standing in for
/// the rest of a source pipeline (a converter), so the percentage is relative to real per-record work.
enum TransformBenchmark {
    static let schema = SchemaBuilder.struct().name("orders.Value")
        .field("id", .int64).field("customer_id", .int64).field("product", .string).field("quantity", .int32)
        .field("price", Logical.decimal(scale: 2)).field("status", .string).field("created_at", Logical.timestamp)
        .build()

    static func record(_ i: Int) -> SourceRecord {
        let values: [Value] = [
            .int64(Int64(i)), .int64(Int64(i % 1000)), .string("product-\(i % 100)"), .int32(Int32(i % 7 + 1)),
            .decimal(ConnectDecimal(unscaled: Int64(i % 10_000) * 13, scale: 2)), .string(i % 3 == 0 ? "NEW" : "SHIPPED"),
            .int64(1_700_000_000_000 + Int64(i)),
        ]
        return SourceRecord(
            sourcePartition: ["table": .string("orders")], sourceOffset: ["id": .int(Int64(i))], topic: "orders",
            valueSchema: schema, value: .structure(Struct(schema: schema, values: values)))
    }

    static func chain() throws -> [any Transformation] {
        let insert = InsertField(.value)
        try insert.configure(["static.field": "source", "static.value": "sluice"])
        let replace = ReplaceField(.value)
        try replace.configure(["renames": "customer_id:customer,status:state"])
        let cast = Cast(.value)
        try cast.configure(["spec": "quantity:int64,id:string"])
        return [insert, replace, cast]
    }

    static func serialize(_ value: Value, into w: inout JSONWriter) {
        switch value {
        case .null: w.null()
        case .boolean(let b): w.bool(b)
        case .int8, .int16, .int32, .int64: w.int(value.int64Value ?? 0)
        case .float32(let f): w.float(f)
        case .float64(let d): w.double(d)
        case .string(let s): w.string(s)
        case .decimal(let d): w.string(d.description)
        case .structure(let s):
            w.raw(UInt8(ascii: "{"))
            for f in s.schema.fields {
                if f.index > 0 { w.raw(UInt8(ascii: ",")) }
                w.string(f.name)
                w.raw(UInt8(ascii: ":"))
                serialize(s.values[f.index], into: &w)
            }
            w.raw(UInt8(ascii: "}"))
        default: w.null()
        }
    }

    /// One pass over `records` records; returns (seconds, bytes written) so the work cannot be optimized away.
    static func pass(records: Int, transforms: [any Transformation]) throws -> (Double, Int) {
        var bytes = 0
        var w = JSONWriter(capacity: 256)
        let clock = ContinuousClock()
        let start = clock.now
        for i in 0..<records {
            var r: SourceRecord? = record(i)
            for t in transforms {
                guard let current = r else { break }
                r = try t.apply(current)
            }
            guard let out = r else { continue }
            w.bytes.removeAll(keepingCapacity: true)
            serialize(out.value, into: &w)
            bytes += w.bytes.count
        }
        let d = clock.now - start
        return (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18, bytes)
    }

    static func run(records: Int) -> String {
        do {
            let transforms = try chain()
            _ = try pass(records: min(records, 10_000), transforms: transforms)  // warm caches
            var base = Double.infinity
            var with = Double.infinity
            var bytes = (0, 0)
            for _ in 0..<3 {  // best of three, alternating, so both loops see the same machine load
                let b = try pass(records: records, transforms: [])
                let t = try pass(records: records, transforms: transforms)
                base = min(base, b.0)
                with = min(with, t.0)
                bytes = (b.1, t.1)
            }
            let baseRate = Double(records) / base
            let withRate = Double(records) / with
            let cost = (1 - withRate / baseRate) * 100
            let perRecord = (with - base) / Double(records) * 1e9
            func fmt(_ x: Double) -> String { String(Int(x.rounded())) }
            return """
                transforms: \(records) orders records, chain InsertField(static) → ReplaceField(renames) → Cast(quantity:int64,id:string)
                  no transforms:   \(fmt(baseRate)) records/s (\(bytes.0) JSON bytes)
                  with transforms: \(fmt(withRate)) records/s (\(bytes.1) JSON bytes)
                  chain cost: \(String(format1(cost)))% of throughput, \(fmt(perRecord)) ns/record
                """
        } catch {
            return "transforms benchmark failed: \(error)"
        }
    }

    private static func format1(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
