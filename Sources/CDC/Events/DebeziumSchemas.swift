import SluiceAPI

/// The fixed schemas of Debezium's PostgreSQL events, field for field in Debezium 3's order (`SchemaFactory`,
/// `PostgresSourceInfoStructMaker`), so JsonConverter output matches byte for byte.
public enum DebeziumSchemas {
    /// `source.snapshot`: `io.debezium.data.Enum` with every `SnapshotRecord` value, default "false".
    public static let snapshotRecord = SchemaBuilder(type: .string).name(DebeziumTypes.enumeration).version(1)
        .parameter("allowed", "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental")
        .defaultValue(.string("false")).optional().build()

    /// `io.debezium.connector.postgresql.Source` (no schema version: Debezium 3.0.7 sets none).
    public static let source = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
        .field("version", .string).field("connector", .string).field("name", .string).field("ts_ms", .int64)
        .field("snapshot", snapshotRecord).field("db", .string).field("sequence", .optionalString)
        .field("ts_us", .optionalInt64).field("ts_ns", .optionalInt64)
        .field("schema", .string).field("table", .string).field("txId", .optionalInt64).field("lsn", .optionalInt64)
        .field("xmin", .optionalInt64).build()

    /// `transaction` field of the envelope (`event.block`).
    public static let transactionBlock = SchemaBuilder.struct().name("event.block").version(1).optional()
        .field("id", .string).field("total_order", .int64).field("data_collection_order", .int64).build()

    public static let heartbeatKey = SchemaBuilder.struct().name("io.debezium.connector.common.ServerNameKey").version(1)
        .field("serverName", .string).build()
    public static let heartbeatValue = SchemaBuilder.struct().name("io.debezium.connector.common.Heartbeat").version(1)
        .field("ts_ms", .int64).build()

    public static let transactionKey = SchemaBuilder.struct().name("io.debezium.connector.common.TransactionMetadataKey")
        .version(1).field("id", .string).build()
    public static let eventCountPerCollection = SchemaBuilder.struct().name("event.collection").version(1).optional()
        .field("data_collection", .string).field("event_count", .int64).build()
    public static let transactionValue = SchemaBuilder.struct().name("io.debezium.connector.common.TransactionMetadataValue")
        .version(1).field("status", .string).field("id", .string).field("event_count", .optionalInt64)
        .field("data_collections", SchemaBuilder.array(eventCountPerCollection).optional().build())
        .field("ts_ms", .int64).build()

    /// Logical decoding messages (`op=m`): required key and value structs, the transaction block after `source`, and
    /// `content` as `binary.handling.mode` says (bytes, or a base64/hex string).
    public static let messageKey = SchemaBuilder.struct().name("io.debezium.connector.postgresql.MessageKey").version(1)
        .field("prefix", .optionalString).build()
    public static func messageBlock(content: Schema) -> Schema {
        SchemaBuilder.struct().name("io.debezium.connector.postgresql.Message").version(1)
            .field("prefix", .optionalString).field("content", content).build()
    }
    public static func messageValue(content: Schema) -> Schema {
        SchemaBuilder.struct().name("io.debezium.connector.postgresql.MessageValue").version(1)
            .field("op", .string).field("ts_ms", .optionalInt64).field("source", source).field("transaction", transactionBlock)
            .field("message", messageBlock(content: content)).build()
    }

    /// `<prefix>.<schema>.<table>.Envelope`, version 2: before, after, source, transaction, op, ts_ms, ts_us, ts_ns.
    public static func envelope(name: String, row: Schema) -> Schema {
        SchemaBuilder.struct().name(name).version(2)
            .field("before", row).field("after", row).field("source", source).field("transaction", transactionBlock)
            .field("op", .string).field("ts_ms", .optionalInt64).field("ts_us", .optionalInt64).field("ts_ns", .optionalInt64)
            .build()
    }
}
