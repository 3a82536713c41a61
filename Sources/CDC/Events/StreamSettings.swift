/// The connector settings the stream processor needs, separate from the config parsing so tests build them directly.
public struct StreamSettings: Sendable {
    public var serverName: String
    public var database: String
    /// `source.version`.
    public var version: String
    public var tombstonesOnDelete = true
    /// `skipped.operations`: any of `c`, `u`, `d`, `t` (Debezium's default skips truncates).
    public var skippedOperations: Set<String> = ["t"]
    public var provideTransactionMetadata = false
    public var filter = TableFilter()
    /// `message.key.columns` as written in the config.
    public var messageKeyColumns: String?
    public var valueOptions = ValueConverterOptions()
    /// `signal.data.collection`: inserts into this table are signals (incremental snapshots), captured or not.
    public var signalTable: TableId?

    public init(serverName: String, database: String, version: String = PostgresConnector.debeziumVersion) {
        self.serverName = serverName
        self.database = database
        self.version = version
    }
}
