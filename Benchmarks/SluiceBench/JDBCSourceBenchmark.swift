import Foundation
import JDBCSource
import Logging
import SQL
import SluiceAPI

/// One JDBC source task reading a freshly filled 7-column `orders` table, in rows/s and peak RSS: the issue's
/// target is ≥ 200,000 rows/s with memory flat however big the table (the cursor streams, `batch.max.rows` per poll).
enum JDBCSourceBenchmark {
    /// Fills `rows` rows (COPY / multi-row INSERT via the SQL layer), then polls one task (`mode` = bulk or
    /// incrementing) until every row was read. Returns a one-line report.
    static func run(rows: Int, url: String, mode: String) -> String {
        do {
            let table = "orders_bench_\(UInt32.random(in: 0...UInt32.max))"
            let conn = try Database.connect(url, attempts: 1, backoffMs: 0)
            defer {
                _ = try? conn.execute("DROP TABLE \(conn.dialect.quote(identifier: table))")
                conn.close()
            }
            let fillStart = ContinuousClock.now
            try fill(conn, table: table, rows: rows)
            let fill = ContinuousClock.now - fillStart

            let props = [
                "connection.url": url, "mode": mode, "table.whitelist": table, "topic.prefix": "bench-",
                "incrementing.column.name": "id", "batch.max.rows": "5000", "poll.interval.ms": "60000",
                "table.poll.interval.ms": "0",
            ]
            let connector = JdbcSourceConnector()
            try connector.start(props)
            let taskProps = try connector.taskConfigs(maxTasks: 1)[0]
            connector.stop()
            let task = JDBCSourceTask()
            task.initialize(context: BenchSourceContext(configs: taskProps))
            try task.start(taskProps)
            defer { task.stop() }
            let start = ContinuousClock.now
            var read = 0
            var lastId: Int64 = 0
            while read < rows {
                let batch = try task.poll()
                if batch.isEmpty { continue }
                read += batch.count
                if case .structure(let s) = batch[batch.count - 1].value, let id = s[0].int64Value { lastId = id }
            }
            let elapsed = ContinuousClock.now - start
            let secs = seconds(elapsed)
            return "jdbc-source \(mode) \(url.prefix(while: { $0 != "?" })): \(read) rows (last id \(lastId)) in "
                + String(format: "%.2f s = %.0f rows/s", secs, Double(read) / secs)
                + String(format: "; fill %.2f s", seconds(fill)) + "; peak RSS \(peakRSSMiB()) MiB"
        } catch {
            return "jdbc-source \(mode): failed: \(error)"
        }
    }

    static func fill(_ conn: any DatabaseConnection, table: String, rows: Int) throws {
        let d = conn.dialect
        let idType: String
        switch conn.url.kind {
        case .postgresql: idType = "BIGINT PRIMARY KEY"
        case .mysql: idType = "BIGINT PRIMARY KEY"
        case .sqlite: idType = "INTEGER PRIMARY KEY"
        }
        try conn.execute("""
            CREATE TABLE \(d.quote(identifier: table)) (id \(idType), customer VARCHAR(64) NOT NULL, \
            product VARCHAR(64) NOT NULL, quantity INT NOT NULL, price DECIMAL(10,2) NOT NULL, \
            status VARCHAR(16) NOT NULL, created_at TIMESTAMP NOT NULL)
            """)
        let columns = ["id", "customer", "product", "quantity", "price", "status", "created_at"]
        let statuses = ["new", "paid", "shipped", "delivered"]
        let base: Int64 = 1_704_067_200_000_000
        var chunk: [[SQLValue]] = []
        chunk.reserveCapacity(10_000)
        var id = 0
        while id < rows {
            chunk.removeAll(keepingCapacity: true)
            for _ in 0..<min(10_000, rows - id) {
                id += 1
                chunk.append([
                    .int(Int64(id)), .text("customer-\(id % 9973)"), .text("product-\(id % 101)"), .int(Int64(id % 7 + 1)),
                    .decimal(ConnectDecimal(unscaled: Int64(id % 100_000), scale: 2)), .text(statuses[id % 4]),
                    .timestamp(base + Int64(id) * 1_000_000),
                ])
            }
            try conn.transaction { try conn.bulkInsert(into: SQLTableName(table), columns: columns, rows: chunk) }
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// `VmHWM` of /proc/self/status (peak resident set), in MiB.
    static func peakRSSMiB() -> Int {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return -1 }
        let kb = Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
        return kb / 1024
    }
}

/// A task context with no stored offsets (every run starts from the beginning).
private final class BenchSourceContext: SourceTaskContext, @unchecked Sendable {
    let configs: [String: String]
    init(configs: [String: String]) { self.configs = configs }
    var offsetStorageReader: any OffsetStorageReader { BenchNoOffsets() }
    var errantRecordReporter: (any ErrantRecordReporter)? { nil }
    var logger: Logger { Logger(label: "bench.jdbc.source") }
}

private struct BenchNoOffsets: OffsetStorageReader {
    func offset(_ partition: [String: JSONValue]) -> [String: JSONValue]? { nil }
}
