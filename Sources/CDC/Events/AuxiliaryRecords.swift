import SluiceAPI

/// Heartbeat, transaction-metadata and logical-message records (the non-table topics).
public struct AuxiliaryRecords: Sendable {
    public var serverName: String
    public var topics: TopicNames

    public init(serverName: String) {
        self.serverName = serverName
        self.topics = TopicNames(prefix: serverName)
    }

    var partition: [String: JSONValue] { PostgresOffset.partition(serverName: serverName) }

    /// `__debezium-heartbeat.<prefix>`: key `ServerNameKey{serverName}`, value `Heartbeat{ts_ms}`. Carries the
    /// current offset so committing it lets the slot advance on an idle database.
    public func heartbeat(offset: [String: JSONValue], nowMillis: Int64) -> SourceRecord {
        SourceRecord(
            sourcePartition: partition, sourceOffset: offset, topic: topics.heartbeat,
            keySchema: DebeziumSchemas.heartbeatKey,
            key: .structure(Struct(schema: DebeziumSchemas.heartbeatKey, values: [.string(serverName)])),
            valueSchema: DebeziumSchemas.heartbeatValue,
            value: .structure(Struct(schema: DebeziumSchemas.heartbeatValue, values: [.int64(nowMillis)])))
    }

    /// `<prefix>.transaction` BEGIN record.
    public func transactionBegin(id: String, commitMillis: Int64, offset: [String: JSONValue]) -> SourceRecord {
        transaction(status: "BEGIN", id: id, eventCount: nil, collections: nil, commitMillis: commitMillis, offset: offset)
    }

    /// `<prefix>.transaction` END record with per-table event counts (in first-seen order).
    public func transactionEnd(id: String, eventCount: Int64, collections: [(String, Int64)], commitMillis: Int64,
                               offset: [String: JSONValue]) -> SourceRecord {
        transaction(status: "END", id: id, eventCount: eventCount, collections: collections, commitMillis: commitMillis, offset: offset)
    }

    func transaction(status: String, id: String, eventCount: Int64?, collections: [(String, Int64)]?, commitMillis: Int64,
                     offset: [String: JSONValue]) -> SourceRecord {
        let counts: Value = collections.map { list in
            .array(list.map { .structure(Struct(schema: DebeziumSchemas.eventCountPerCollection, values: [.string($0.0), .int64($0.1)])) })
        } ?? .null
        let value = Struct(schema: DebeziumSchemas.transactionValue, values: [
            .string(status), .string(id), eventCount.map { .int64($0) } ?? .null, counts, .int64(commitMillis),
        ])
        return SourceRecord(
            sourcePartition: partition, sourceOffset: offset, topic: topics.transaction,
            keySchema: DebeziumSchemas.transactionKey,
            key: .structure(Struct(schema: DebeziumSchemas.transactionKey, values: [.string(id)])),
            valueSchema: DebeziumSchemas.transactionValue, value: .structure(value))
    }

    /// `<prefix>.message`: a `pg_logical_emit_message` as `op=m`, its content as `binary.handling.mode` says, with the
    /// transaction block when it was emitted inside a transaction and metadata is on.
    public func logicalMessage(_ m: LogicalMessage, source: SourceInfo, offset: [String: JSONValue], nowMillis: Int64,
                               binaryMode: ValueConverterOptions.BinaryMode = .bytes,
                               transaction: ChangeEventBuilder.TransactionBlock? = nil) -> SourceRecord {
        let contentSchema: Schema = binaryMode == .bytes ? .optionalBytes : .optionalString
        let valueSchema = DebeziumSchemas.messageValue(content: contentSchema)
        let blockSchema = valueSchema.field("message")?.schema ?? DebeziumSchemas.messageBlock(content: contentSchema)
        let key = Struct(schema: DebeziumSchemas.messageKey, values: [.string(m.prefix)])
        let content: Value = binaryMode == .bytes ? .bytes(m.content) : BinaryText.encode(m.content, mode: binaryMode)
        let block = Struct(schema: blockSchema, values: [.string(m.prefix), content])
        let value = Struct(schema: valueSchema, values: [
            .string("m"), .int64(nowMillis), source.value, transaction?.value ?? .null, .structure(block),
        ])
        return SourceRecord(
            sourcePartition: partition, sourceOffset: offset, topic: topics.message, keySchema: DebeziumSchemas.messageKey,
            key: .structure(key), valueSchema: valueSchema, value: .structure(value))
    }
}
