import SluiceAPI

/// Debezium PostgreSQL change events for table `public.customers` on server `dbserver1`, shaped as the connector
/// emits them (schema names, field order), for the ExtractNewRecordState tests.
enum DebeziumEnvelopes {
    static let keySchema = SchemaBuilder.struct().name("dbserver1.public.customers.Key").field("id", .int32).build()
    static let rowSchema = SchemaBuilder.struct().name("dbserver1.public.customers.Value").optional()
        .field("id", .int32).field("first_name", .string).field("email", .optionalString).field("dest", .optionalString).build()
    static let sourceSchema = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
        .field("version", .string).field("connector", .string).field("name", .string).field("ts_ms", .int64)
        .field("db", .string).field("schema", .string).field("table", .string).field("txId", .optionalInt64)
        .field("lsn", .optionalInt64).build()
    static let transactionSchema = SchemaBuilder.struct().name("event.block").optional()
        .field("id", .string).field("total_order", .int64).field("data_collection_order", .int64).build()
    static let envelopeSchema = SchemaBuilder.struct().name("dbserver1.public.customers.Envelope").version(2)
        .field("before", rowSchema).field("after", rowSchema).field("source", sourceSchema)
        .field("transaction", transactionSchema).field("op", .string).field("ts_ms", .optionalInt64).build()

    static func row(_ id: Int32, _ name: String, _ email: String?, dest: String? = nil) -> Value {
        .structure(Struct(schema: rowSchema, values: [.int32(id), .string(name), email.map { .string($0) } ?? .null, dest.map { .string($0) } ?? .null]))
    }

    static let source = Value.structure(Struct(schema: sourceSchema, values: [
        .string("3.0.7.Final"), .string("postgresql"), .string("dbserver1"), .int64(1_700_000_000_000), .string("inventory"),
        .string("public"), .string("customers"), .int64(780), .int64(24_023_128),
    ]))

    static func envelope(op: String, before: Value, after: Value) -> Value {
        .structure(Struct(schema: envelopeSchema, values: [before, after, source, .null, .string(op), .int64(1_700_000_000_123)]))
    }

    static func record(op: String, before: Value = .null, after: Value = .null, id: Int32 = 1) -> SourceRecord {
        SourceRecord(
            sourcePartition: ["server": .string("dbserver1")], sourceOffset: ["lsn": .int(24_023_128)],
            topic: "dbserver1.public.customers", keySchema: keySchema,
            key: .structure(Struct(schema: keySchema, values: [.int32(id)])), valueSchema: envelopeSchema,
            value: envelope(op: op, before: before, after: after))
    }

    static func tombstone(id: Int32 = 1) -> SourceRecord {
        SourceRecord(
            sourcePartition: ["server": .string("dbserver1")], sourceOffset: ["lsn": .int(24_023_128)],
            topic: "dbserver1.public.customers", keySchema: keySchema,
            key: .structure(Struct(schema: keySchema, values: [.int32(id)])), valueSchema: nil, value: .null)
    }

    static let create = record(op: "c", after: row(1, "Anne", "annek@noanswer.org"))
    static let update = record(op: "u", before: row(1, "Anne", "annek@noanswer.org"), after: row(1, "Anne Marie", "annek@noanswer.org"))
    static let delete = record(op: "d", before: row(1, "Anne Marie", "annek@noanswer.org"))
    static let truncate = record(op: "t")
}
