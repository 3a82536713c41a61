import Foundation
import TestSupport

/// `sluice-bench <case> [count]`: runs one benchmark case (or `all`) and prints its figures.
///
/// Build once with `swift build -c release --product sluice-bench` (the `startup` case also needs
/// `swift build -c release --product sluice`), then e.g. `.build/release/sluice-bench spooldir-e2e`.
/// Results and targets are recorded in BENCHMARKS.md.

/// A PostgreSQL database on the test server TestSupport starts (PostgreSQL 15 in a temp dir on a free port).
func postgresURL(_ prefix: String) throws -> String {
    try PostgresServer.shared().createDatabase(prefix: prefix).url
}

struct BenchCase: Sendable {
    let name: String
    let defaultCount: Int
    let summary: String
    let run: @Sendable (Int) async -> String
}

let cases: [BenchCase] = [
    BenchCase(name: "json", defaultCount: 1_000_000, summary: "JsonConverter serialize/parse of a 10-field struct, schemas enabled") {
        JsonConverterBenchmark.run(records: $0)
    },
    BenchCase(name: "avro", defaultCount: 1_000_000, summary: "AvroConverter serialize/parse of a 10-field struct (embedded registry)") {
        RegistryConverterBenchmark.avro(records: $0)
    },
    BenchCase(name: "protobuf", defaultCount: 1_000_000, summary: "ProtobufConverter serialize/parse of a 10-field struct (embedded registry)") {
        RegistryConverterBenchmark.protobuf(records: $0)
    },
    BenchCase(name: "producer", defaultCount: 1_000_000, summary: "producer of 200-byte values into the embedded Kafka") {
        ProducerBenchmark.run(records: $0)
    },
    BenchCase(name: "spooldir-parse", defaultCount: 1_000_000, summary: "SpoolDir CSV parse + typed conversion, one task, no Kafka") {
        SpoolDirBenchmark.parseAndInfer(rows: $0)
    },
    BenchCase(name: "transforms", defaultCount: 1_000_000, summary: "InsertField → ReplaceField → Cast chain vs none") {
        TransformBenchmark.run(records: $0)
    },
    BenchCase(name: "transforms-e2e", defaultCount: 500_000, summary: "SpoolDir → worker → Kafka with vs without the 3-transform chain") {
        await E2ETransformBenchmark.run(rows: $0)
    },
    BenchCase(name: "jdbc-sink", defaultCount: 1_000_000, summary: "JDBC sink task path into PostgreSQL (records handed to the task)") { rows in
        do {
            return try await RuntimeBench.onThread { JDBCSinkBenchmark.run(rows: rows, url: try postgresURL("bench_sink")) }
        } catch {
            return "jdbc-sink: \(error)"
        }
    },
    BenchCase(name: "jdbc-sink-mariadb", defaultCount: 1_000_000, summary: "JDBC sink task path into MariaDB (multi-row INSERT / ON DUPLICATE KEY UPDATE)") { rows in
        do {
            return try await RuntimeBench.onThread {
                JDBCSinkBenchmark.run(rows: rows, url: try MariaDBServer.shared().createDatabase(prefix: "bench_sink").url)
            }
        } catch {
            return "jdbc-sink-mariadb: \(error)"
        }
    },
    BenchCase(name: "elasticsearch-sink", defaultCount: 1_000_000, summary: "Elasticsearch sink task into osmem-server vs curl _bulk files") { n in
        (try? await RuntimeBench.onThread { ElasticsearchSinkBenchmark.run(records: n) }) ?? "elasticsearch-sink: failed to run"
    },
    BenchCase(name: "jdbc-sink-sqlite", defaultCount: 1_000_000, summary: "JDBC sink task path into SQLite (one prepared statement per transaction)") { rows in
        let dir = NSTemporaryDirectory() + "/sluice-bench-sink-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return (try? await RuntimeBench.onThread { JDBCSinkBenchmark.run(rows: rows, url: "jdbc:sqlite:" + dir + "/sink.db") })
            ?? "jdbc-sink-sqlite: failed to run"
    },
    BenchCase(name: "jdbc-source", defaultCount: 1_000_000, summary: "JDBC source task reading a PostgreSQL table, bulk then incrementing") { rows in
        do {
            return try await RuntimeBench.onThread {
                JDBCSourceBenchmark.run(rows: rows, url: try postgresURL("bench_source_bulk"), mode: "bulk") + "\n"
                    + JDBCSourceBenchmark.run(rows: rows, url: try postgresURL("bench_source_inc"), mode: "incrementing")
            }
        } catch {
            return "jdbc-source: \(error)"
        }
    },
    BenchCase(name: "distributed", defaultCount: 0, summary: "distributed mode: kill -9 failover and a 4th worker joining (count ignored)") { _ in
        DistributedBenchmark.run()
    },
    BenchCase(name: "cdc", defaultCount: 1_000_000, summary: "PostgreSQL CDC → worker → embedded Kafka, pg_recvlogical ceiling") { changes in
        (try? await RuntimeBench.onThread { CDCBenchmark.run(changes: changes) }) ?? "cdc: failed to run"
    },
    BenchCase(name: "startup", defaultCount: 5, summary: "sluice standalone spawn → /health 200 and idle RSS (count = runs)") {
        RuntimeStartupBenchmark.run(runs: $0)
    },
    BenchCase(name: "csv-postgres", defaultCount: 1_000_000, summary: "the main job: orders CSV → PostgreSQL by \\copy, sling, Sluice direct and via embedded Kafka") { rows in
        (try? await RuntimeBench.onThread { CSVToPostgresBenchmark.run(rows: rows) }) ?? "csv-postgres: failed to run"
    },
    BenchCase(name: "spooldir-e2e", defaultCount: 1_000_000, summary: "SpoolDir CSV → worker → embedded Kafka, 1 task then 3 tasks") {
        await E2ESpoolDirBenchmark.run(rows: $0)
    },
    BenchCase(name: "spooldir-e2e-ext", defaultCount: 1_000_000, summary: "spooldir-e2e with the broker in a separate process (worker-only RSS)") {
        await E2ESpoolDirBenchmark.run(rows: $0, separateBroker: true)
    },
    BenchCase(name: "jdbc-sink-e2e-ext", defaultCount: 1_000_000, summary: "jdbc-sink-e2e with the broker in a separate process (worker RSS)") {
        await E2EJDBCSinkBenchmark.run(rows: $0, separateBroker: true)
    },
    BenchCase(name: "jdbc-sink-e2e", defaultCount: 1_000_000, summary: "embedded Kafka → JDBC sink → PostgreSQL vs psql \\copy") {
        await E2EJDBCSinkBenchmark.run(rows: $0)
    },
    BenchCase(name: "jdbc-sink-e2e-prefilled", defaultCount: 1_000_000, summary: "jdbc-sink-e2e from a topic filled while the connector was paused (the sink alone)") {
        await E2EJDBCSinkBenchmark.run(rows: $0, prefill: true)
    },
]

let args = Array(CommandLine.arguments.dropFirst())
let selected = args.first ?? "help"
let count = args.dropFirst().first.flatMap { Int($0.replacingOccurrences(of: "_", with: "")) }

func usage() {
    print("usage: sluice-bench <case|all> [count]\n\ncases:")
    for c in cases { print("  \(c.name.padding(toLength: 15, withPad: " ", startingAt: 0)) \(c.summary) (default \(c.defaultCount))") }
}

if selected == "all" {
    for c in cases {
        print("== \(c.name)")
        print(await c.run(count ?? c.defaultCount))
        fflush(nil)
    }
    exit(0)
} else if let c = cases.first(where: { $0.name == selected }) {
    print(await c.run(count ?? c.defaultCount))
    exit(0)
} else {
    usage()
    exit(selected == "help" || selected == "--help" || selected == "-h" ? 0 : 2)
}
