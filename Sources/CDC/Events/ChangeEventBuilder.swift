import SluiceAPI

/// Turns decoded row changes into Debezium-shaped `SourceRecord`s: envelope, key, tombstones, primary-key-change
/// splitting with `__debezium.newkey` / `__debezium.oldkey` headers, and the transaction block.
public struct ChangeEventBuilder: Sendable {
    /// A row change of one table.
    public enum Change: Sendable {
        /// Snapshot read (`r`).
        case read(after: TupleData)
        case insert(after: TupleData)
        case update(before: UpdateMessage.OldTuple?, after: TupleData)
        case delete(before: UpdateMessage.OldTuple)
    }

    /// Position of the event inside its transaction (`transaction` block); nil unless transaction metadata is on.
    public struct TransactionBlock: Sendable, Hashable {
        public var id: String
        public var totalOrder: Int64
        public var dataCollectionOrder: Int64
        public init(id: String, totalOrder: Int64, dataCollectionOrder: Int64) {
            self.id = id
            self.totalOrder = totalOrder
            self.dataCollectionOrder = dataCollectionOrder
        }
        var value: Value {
            .structure(Struct(schema: DebeziumSchemas.transactionBlock, values: [.string(id), .int64(totalOrder), .int64(dataCollectionOrder)]))
        }
    }

    public var serverName: String {
        didSet { partition = PostgresOffset.partition(serverName: serverName) }
    }
    public var tombstonesOnDelete: Bool
    /// The source partition every record carries, built once rather than per record.
    private(set) var partition: [String: JSONValue]

    public init(serverName: String, tombstonesOnDelete: Bool = true) {
        self.serverName = serverName
        self.tombstonesOnDelete = tombstonesOnDelete
        self.partition = PostgresOffset.partition(serverName: serverName)
    }

    func envelope(_ table: TableSchema, op: String, before: Struct?, after: Struct?, source: SourceInfo,
                  transaction: TransactionBlock?, nowMicros: Int64) -> Value {
        .structure(Struct(schema: table.envelopeSchema, values: [
            before.map { .structure($0) } ?? .null, after.map { .structure($0) } ?? .null, source.value,
            transaction?.value ?? .null, .string(op), .int64(SourceInfo.floorDiv(nowMicros, 1000)), .int64(nowMicros),
            .int64(nowMicros &* 1000),
        ]))
    }

    func record(_ table: TableSchema, key: Struct?, value: Value?, offset: [String: JSONValue], headers: Headers = Headers()) -> SourceRecord {
        SourceRecord(
            sourcePartition: partition, sourceOffset: offset, topic: table.topic, keySchema: key == nil ? nil : table.keySchema,
            key: key.map { .structure($0) } ?? .null, valueSchema: value == nil ? nil : table.envelopeSchema,
            value: value ?? .null, headers: headers)
    }

    /// The records for one change (1 for create/read/update; delete + tombstone; or delete + tombstone + create when
    /// an update changed the primary key). All carry the same offset.
    public func records(for change: Change, table: TableSchema, source: SourceInfo, offset: [String: JSONValue],
                        transaction: TransactionBlock? = nil, nowMicros: Int64) throws -> [SourceRecord] {
        var out: [SourceRecord] = []
        try records(for: change, table: table, source: source, offset: offset, transaction: transaction, nowMicros: nowMicros, into: &out)
        return out
    }

    /// `records(for:...)` appending to the poll's batch: no array per event on the streaming path. Returns the number
    /// of change events (tombstones not counted): 2 for a primary-key change, else 1.
    @discardableResult
    public func records(for change: Change, table: TableSchema, source: SourceInfo, offset: [String: JSONValue],
                        transaction: TransactionBlock? = nil, nowMicros: Int64, into batch: inout [SourceRecord]) throws -> Int {
        switch change {
        case .read(let after), .insert(let after):
            let row = try table.row(after)
            let op: String
            if case .read = change { op = "r" } else { op = "c" }
            let v = envelope(table, op: op, before: nil, after: row, source: source, transaction: transaction, nowMicros: nowMicros)
            batch.append(record(table, key: table.key(of: row), value: v, offset: offset))
            return 1

        case .update(let old, let after):
            let oldTuple = old?.tuple
            let previousFull: TupleData? = { if case .full(let t)? = old { return t } else { return nil } }()
            let newRow = try table.row(after, previous: previousFull)
            let beforeRow: Struct? = try oldTuple.map { try table.row($0) }
            let newKey = table.key(of: newRow)
            let oldKey = beforeRow.flatMap { table.key(of: $0) }
            if let oldKey, let newKey, oldKey != newKey {
                var out: [SourceRecord] = []
                var delHeaders = Headers()
                delHeaders.add("__debezium.newkey", schema: table.keySchema, value: .structure(newKey))
                let del = envelope(table, op: "d", before: beforeRow, after: nil, source: source, transaction: transaction, nowMicros: nowMicros)
                out.append(record(table, key: oldKey, value: del, offset: offset, headers: delHeaders))
                // Debezium's tombstone of the old key carries the same `__debezium.newkey` header as the delete.
                if tombstonesOnDelete { out.append(record(table, key: oldKey, value: nil, offset: offset, headers: delHeaders)) }
                var createHeaders = Headers()
                createHeaders.add("__debezium.oldkey", schema: table.keySchema, value: .structure(oldKey))
                // The create is the transaction's next event (Debezium numbers both halves).
                let next = transaction.map {
                    TransactionBlock(id: $0.id, totalOrder: $0.totalOrder + 1, dataCollectionOrder: $0.dataCollectionOrder + 1)
                }
                let create = envelope(table, op: "c", before: nil, after: newRow, source: source, transaction: next, nowMicros: nowMicros)
                out.append(record(table, key: newKey, value: create, offset: offset, headers: createHeaders))
                batch += out
                return 2
            }
            // Under REPLICA IDENTITY DEFAULT pgoutput sends no old row: `before` stays null, as in Debezium.
            let before = previousFull == nil ? nil : beforeRow
            let v = envelope(table, op: "u", before: before, after: newRow, source: source, transaction: transaction, nowMicros: nowMicros)
            batch.append(record(table, key: newKey, value: v, offset: offset))
            return 1

        case .delete(let old):
            let beforeRow = try table.row(old.tuple)
            let key = table.key(of: beforeRow)
            let v = envelope(table, op: "d", before: beforeRow, after: nil, source: source, transaction: transaction, nowMicros: nowMicros)
            batch.append(record(table, key: key, value: v, offset: offset))
            if tombstonesOnDelete { batch.append(record(table, key: key, value: nil, offset: offset)) }
            return 1
        }
    }

    /// A truncate event (`op=t`): no key, no before/after.
    public func truncateRecord(table: TableSchema, source: SourceInfo, offset: [String: JSONValue],
                               transaction: TransactionBlock? = nil, nowMicros: Int64) -> SourceRecord {
        let v = envelope(table, op: "t", before: nil, after: nil, source: source, transaction: transaction, nowMicros: nowMicros)
        return record(table, key: nil, value: v, offset: offset)
    }
}
