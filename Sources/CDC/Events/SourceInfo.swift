import SluiceAPI

/// The values of one event's `source` block.
public struct SourceInfo: Sendable, Hashable {
    /// Debezium's `SnapshotRecord`: where a snapshot read sits ("false" while streaming).
    public enum Snapshot: String, Sendable, Hashable {
        case `true`, first, firstInDataCollection = "first_in_data_collection"
        case lastInDataCollection = "last_in_data_collection", last, `false`, incremental
    }

    public var version: String
    public var serverName: String
    public var database: String
    /// Commit time (streaming) or read time (snapshot), microseconds since the Unix epoch.
    public var timestampMicros: Int64
    public var snapshot: Snapshot
    public var schema: String
    public var table: String
    public var txId: Int64?
    public var lsn: LSN?
    /// Commit LSN of the last completed transaction, first element of `sequence`.
    public var lastCommitLSN: LSN?

    public init(version: String, serverName: String, database: String, timestampMicros: Int64, snapshot: Snapshot,
                schema: String, table: String, txId: Int64?, lsn: LSN?, lastCommitLSN: LSN?) {
        self.version = version
        self.serverName = serverName
        self.database = database
        self.timestampMicros = timestampMicros
        self.snapshot = snapshot
        self.schema = schema
        self.table = table
        self.txId = txId
        self.lsn = lsn
        self.lastCommitLSN = lastCommitLSN
    }

    /// `["<lastCommitLsn>","<lsn>"]` as Debezium writes `sequence` (JSON array of decimal strings or null).
    public var sequence: String {
        func item(_ l: LSN?) -> String { l.map { "\"\($0.rawValue)\"" } ?? "null" }
        return "[\(item(lastCommitLSN)),\(item(lsn))]"
    }

    public var value: Value {
        .structure(Struct(schema: DebeziumSchemas.source, values: [
            .string(version), .string("postgresql"), .string(serverName), .int64(Self.floorDiv(timestampMicros, 1000)),
            .string(snapshot.rawValue), .string(database), .string(sequence), .int64(timestampMicros),
            .int64(timestampMicros &* 1000), .string(schema), .string(table), txId.map { .int64($0) } ?? .null,
            lsn.map { .int64($0.int64Value) } ?? .null, .null,
        ]))
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
