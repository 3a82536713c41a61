import Converters
import SluiceAPI
import Transforms

/// Measures the cost of a 3-transform chain (InsertField static → ReplaceField renames → Cast on two fields) on
/// 7-column "orders" struct records, against the same loop without transforms (issue 7's ≤ 15% budget).
///
/// Two pairs of loops, interleaved in the same run: both of the first pair build each record and serialize its
/// value to schemaless JSON with `JSONWriter` (a light stand-in for the rest of a source pipeline); the second
/// pair serialize with the real `JsonConverter` (`schemas.enable=true`), the per-record work a source task does
/// before handing bytes to the producer, so the second percentage is the one that matches issue 7's budget.
/// Within each pair, "apply" calls every stage's `Transformation.apply` (a new record per stage), "runtime chain"
/// runs what the worker's `TransformationChain` runs: the three stages fused into one `FieldProgramChain`, applied
/// in place to the chain's own copy of the record. `transforms-e2e` measures the same chain on a whole pipeline.
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

    /// A stage as the runtime's `TransformationChain` holds it on its fast path (every stage in place, no
    /// predicates): referenced unowned (the chain's stage list owns it), so calling it costs no reference counts.
    struct InPlaceStage {
        unowned(unsafe) let transform: any InPlaceTransformation
    }

    /// The chain applied through `Transformation.apply` (each stage returns a new record), or, when `inPlace` holds
    /// the stages, the way the runtime's `TransformationChain.apply` runs them: `applyInPlace` on its own copy of the
    /// record (the caller keeps the original, as a source task does for `commitRecord`).
    @inline(__always)
    static func applyChain(
        _ transforms: [any Transformation], _ inPlace: [InPlaceStage]?, to record: SourceRecord
    ) throws -> SourceRecord? {
        var current = record
        if let inPlace {
            for i in inPlace.indices {
                if try !inPlace[i].transform.applyInPlace(&current) { return nil }
            }
            return current
        }
        for t in transforms {
            guard let next = try t.apply(current) else { return nil }
            current = next
        }
        return current
    }

    /// The stages the runtime's `TransformationChain` makes of `transforms` (all of them in place, no predicates):
    /// consecutive field-program transforms on one side become one `FieldProgramChain`. The caller keeps the
    /// returned owners alive while it uses the unowned stages.
    static func inPlaceStages(_ transforms: [any Transformation]) -> (owners: [any InPlaceTransformation], stages: [InPlaceStage]) {
        let programs = transforms.compactMap { $0 as? any FieldProgramTransformation }
        let owners: [any InPlaceTransformation] = programs.count == transforms.count
            ? FieldProgramChain(programs).map { [$0] } ?? programs
            : transforms.map { $0 as! any InPlaceTransformation }
        return (owners, owners.map(InPlaceStage.init))
    }

    /// How a pass turns each (possibly transformed) record into bytes.
    enum Sink {
        /// Schemaless JSON with `JSONWriter`: a light stand-in for a converter.
        case writer
        /// The real `JsonConverter` with `schemas.enable=true` (schema envelope + payload), as a source task does.
        case converter(JsonConverter)
    }

    /// One pass over `records` records; returns (seconds, bytes written) so the work cannot be optimized away.
    static func pass(
        records: Int, transforms: [any Transformation], inPlace: Bool = false, sink: Sink = .writer
    ) throws -> (Double, Int) {
        var bytes = 0
        var w = JSONWriter(capacity: 256)
        let owned = inPlace ? inPlaceStages(transforms) : nil
        let stages = owned?.stages
        defer { withExtendedLifetime(owned) {} }  // `stages` does not own them
        let clock = ContinuousClock()
        let start = clock.now
        for i in 0..<records {
            guard let out = try applyChain(transforms, stages, to: record(i)) else { continue }
            switch sink {
            case .writer:
                w.bytes.removeAll(keepingCapacity: true)
                serialize(out.value, into: &w)
                bytes += w.bytes.count
            case .converter(let converter):
                let data = try converter.fromConnectData(
                    topic: out.topic, headers: out.headers, schema: out.valueSchema, value: out.value)
                bytes += data?.count ?? 0
            }
        }
        let d = clock.now - start
        return (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18, bytes)
    }

    /// Applies the chain only (no serialization), for profiling the transforms alone with callgrind; with
    /// `withTransforms: false` the same loop without them, to subtract building the records.
    static func chainOnly(records: Int, withTransforms: Bool = true, inPlace: Bool = false) throws -> Int {
        let transforms = withTransforms ? try chain() : []
        let owned = inPlace ? inPlaceStages(transforms) : nil
        let stages = owned?.stages
        defer { withExtendedLifetime(owned) {} }  // `stages` does not own them
        var fields = 0
        for i in 0..<records {
            fields += try applyChain(transforms, stages, to: record(i))?.value.structValue?.values.count ?? 0
        }
        return fields
    }

    static func run(records: Int) -> String {
        do {
            let transforms = try chain()
            let converter = JsonConverter()
            try converter.configure(["schemas.enable": "true"], isKey: false)
            let json = Sink.converter(converter)
            let warm = min(records, 10_000)
            _ = try pass(records: warm, transforms: transforms)
            _ = try pass(records: warm, transforms: transforms, inPlace: true, sink: json)
            // (transforms, in place, sink) per loop; best of three rounds, interleaved so all see the same load.
            let loops: [([any Transformation], Bool, Sink)] = [
                ([], false, .writer), (transforms, false, .writer), (transforms, true, .writer),
                ([], false, json), (transforms, false, json), (transforms, true, json),
            ]
            var best = [Double](repeating: .infinity, count: loops.count)
            var bytes = [Int](repeating: 0, count: loops.count)
            for _ in 0..<3 {
                for (i, l) in loops.enumerated() {
                    let r = try pass(records: records, transforms: l.0, inPlace: l.1, sink: l.2)
                    best[i] = min(best[i], r.0)
                    bytes[i] = r.1
                }
            }
            let n = Double(records)
            func fmt(_ x: Double) -> String { String(Int(x.rounded())) }
            func ns(_ i: Int) -> String { fmt(best[i] / n * 1e9) }
            // Throughput lost: 1 - (rate with transforms / rate without); and the added time per record.
            func cost(_ with: Int, _ base: Int) -> String {
                "\(format1((1 - best[base] / best[with]) * 100))% of throughput, \(fmt((best[with] - best[base]) / n * 1e9)) ns/record"
            }
            return """
                transforms: \(records) orders records, chain InsertField(static) → ReplaceField(renames) → Cast(quantity:int64,id:string)
                  JSONWriter loop, no transforms:             \(ns(0)) ns/record (\(bytes[0]) bytes)
                  JSONWriter loop, apply (stage by stage):    \(ns(1)) ns/record (\(bytes[1]) bytes)
                  JSONWriter loop, runtime chain:             \(ns(2)) ns/record (\(bytes[2]) bytes)
                  JsonConverter pipeline, no transforms:      \(ns(3)) ns/record (\(bytes[3]) bytes)
                  JsonConverter pipeline, apply:              \(ns(4)) ns/record (\(bytes[4]) bytes)
                  JsonConverter pipeline, runtime chain:      \(ns(5)) ns/record (\(bytes[5]) bytes)
                  chain cost: \(cost(1, 0)) (JSONWriter loop, apply); runtime chain: \(cost(2, 0))
                  chain cost vs JsonConverter pipeline: \(cost(4, 3)) (apply); runtime chain: \(cost(5, 3))
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
