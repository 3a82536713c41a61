import Converters
import SluiceAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// JsonConverter throughput on one thread: a 10-field struct (int64, string, double, boolean, optional string,
/// Decimal, Timestamp) with `schemas.enable=true`, serialized and parsed record by record as a task would.
enum JsonConverterBenchmark {
    static let schema = SchemaBuilder.struct().name("bench.Order")
        .field("id", .int64)
        .field("customer_id", .int64)
        .field("customer", .string)
        .field("email", .string)
        .field("score", .float64)
        .field("active", .boolean)
        .field("note", .optionalString)
        .field("price", Logical.decimal(scale: 2))
        .field("created_at", Logical.timestamp)
        .field("version", .int64)
        .build()

    static func record(_ i: Int) -> Value {
        let n = Int64(i)
        return .structure(Struct(schema: schema, values: [
            .int64(n),
            .int64(10_000 + n % 977),
            .string("Customer \(i % 1000)"),
            .string("customer\(i % 1000)@example.com"),
            .float64(Double(i % 10_000) / 7.0),
            .boolean(i % 3 == 0),
            i % 4 == 0 ? .null : .string("note for order \(i)"),
            .decimal(ConnectDecimal(unscaled: 1999 + n % 100_000, scale: 2)),
            .int64(1_700_000_000_000 + n * 1000),
            .int64(n % 7),
        ]))
    }

    /// Runs `records` conversions each way and returns a one-paragraph report.
    static func run(records: Int) -> String {
        let converter = JsonConverter()
        do {
            try converter.configure([:], isKey: false)
        } catch {
            return "JsonConverter benchmark: configure failed: \(error)"
        }
        let distinct = min(records, 1000)
        let inputs = (0..<distinct).map(record)
        let clock = ContinuousClock()
        var encoded: [[UInt8]] = []
        encoded.reserveCapacity(distinct)
        var bytes = 0
        do {
            // Warm-up fills the schema caches, as the first record of a task would.
            for v in inputs { encoded.append(try converter.fromConnectData(topic: "bench", headers: nil, schema: schema, value: v) ?? []) }
            for e in encoded { _ = try converter.toConnectData(topic: "bench", headers: nil, value: e) }

            var cpu = threadCPUSeconds()
            let serialize = try clock.measure {
                for i in 0..<records {
                    bytes &+= try converter.fromConnectData(topic: "bench", headers: nil, schema: schema, value: inputs[i % distinct])?.count ?? 0
                }
            }
            let serializeCPU = threadCPUSeconds() - cpu
            var fields = 0
            cpu = threadCPUSeconds()
            let parse = try clock.measure {
                for i in 0..<records {
                    let sv = try converter.toConnectData(topic: "bench", headers: nil, value: encoded[i % distinct])
                    fields &+= sv.value.structValue?.values.count ?? 0
                }
            }
            let parseCPU = threadCPUSeconds() - cpu
            let avg = bytes / max(records, 1)
            return """
                JsonConverter (schemas.enable=true, 10-field struct, \(avg) bytes/record, \(records) records, 1 thread):
                  serialize: \(rate(records, serialize)) records/s wall, \(rate(records, serializeCPU)) records per CPU-second
                  parse:     \(rate(records, parse)) records/s wall, \(rate(records, parseCPU)) records per CPU-second (\(fields / max(records, 1)) fields/record)
                """
        } catch {
            return "JsonConverter benchmark failed: \(error)"
        }
    }

    static func rate(_ n: Int, _ d: Duration) -> String {
        let (s, atto) = d.components
        return rate(n, Double(s) + Double(atto) / 1e18)
    }

    static func rate(_ n: Int, _ seconds: Double) -> String {
        String(Int((Double(n) / max(seconds, 1e-9)).rounded()))
    }

    /// CPU time of the calling thread: on a shared machine wall time also counts the time other processes ran.
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
