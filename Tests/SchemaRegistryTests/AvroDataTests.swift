import SluiceAPI
import Testing

@testable import SchemaRegistry

/// Connect → Avro schema text exactly as Confluent's AvroData (7.0.16) registers it (spec vectors and texts the
/// reference worker registered), and back.
@Suite struct AvroDataTests {
    static func text(_ s: Schema) throws -> String { try AvroFromConnect.convert(s).canonicalText }

    @Test func primitivesAreBareNames() throws {
        #expect(try Self.text(.string) == "\"string\"")
        #expect(try Self.text(.optionalString) == "[\"null\",\"string\"]")
        #expect(try Self.text(.int16) == "{\"type\":\"int\",\"connect.type\":\"int16\"}")
        #expect(try Self.text(.int64) == "\"long\"")
    }

    @Test func debeziumEnvelopeMatchesConfluent() throws {
        let value = SchemaBuilder.struct().name("srv.inv.customers.Value")
            .field("id", .int32).field("email", .optionalString).optional().build()
        let env = SchemaBuilder.struct().name("srv.inv.customers.Envelope")
            .field("before", value).field("after", value).field("op", .string).field("ts_ms", .optionalInt64).build()
        #expect(try Self.text(env) == #"{"type":"record","name":"Envelope","namespace":"srv.inv.customers","fields":[{"name":"before","type":["null",{"type":"record","name":"Value","fields":[{"name":"id","type":"int"},{"name":"email","type":["null","string"],"default":null}],"connect.name":"srv.inv.customers.Value"}],"default":null},{"name":"after","type":["null","Value"],"default":null},{"name":"op","type":"string"},{"name":"ts_ms","type":["null","long"],"default":null}],"connect.name":"srv.inv.customers.Envelope"}"#)
    }

    @Test func logicalTypesAndMetadata() throws {
        let payment = SchemaBuilder.struct().name("com.acme.Payment").version(3).doc("A payment")
            .field("id", .int64).field("amount", Logical.decimal(scale: 2, precision: 10))
            .field("paid_at", Logical.optionalTimestamp).field("qty", .int16).build()
        #expect(try Self.text(payment) == #"{"type":"record","name":"Payment","namespace":"com.acme","fields":[{"name":"id","type":"long"},{"name":"amount","type":{"type":"bytes","scale":2,"precision":10,"connect.version":1,"connect.parameters":{"scale":"2","connect.decimal.precision":"10"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}},{"name":"paid_at","type":["null",{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}],"default":null},{"name":"qty","type":{"type":"int","connect.type":"int16"}}],"connect.doc":"A payment","connect.version":3,"connect.name":"com.acme.Payment"}"#)
        #expect(try Self.text(Logical.decimal(scale: 2)) == #"{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}"#)
    }

    @Test func mapsAndUnnamedStructs() throws {
        #expect(try Self.text(SchemaBuilder.map(.string, .int32).build()) == #"{"type":"map","values":"int"}"#)
        #expect(try Self.text(SchemaBuilder.map(.int32, .string).build()) == #"{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[{"name":"key","type":"int"},{"name":"value","type":"string"}]}}"#)
        let s = SchemaBuilder.struct().field("m", SchemaBuilder.map(.string, .int32).optional().build()).build()
        #expect(try Self.text(s) == #"{"type":"record","name":"ConnectDefault","namespace":"io.confluent.connect.avro","fields":[{"name":"m","type":["null",{"type":"map","values":"int"}],"default":null}]}"#)
    }

    @Test func parseAndWriteIsStable() throws {
        let texts = [
            #"{"type":"record","name":"Envelope","namespace":"srv.inv.customers","fields":[{"name":"before","type":["null",{"type":"record","name":"Value","fields":[{"name":"id","type":"int"}],"connect.name":"srv.inv.customers.Value"}],"default":null},{"name":"after","type":["null","Value"],"default":null}],"connect.name":"srv.inv.customers.Envelope"}"#,
            #"{"type":"enum","name":"E","symbols":["A","B"],"default":"A"}"#,
            #"{"type":"fixed","name":"F","namespace":"x","size":4}"#,
        ]
        for t in texts { #expect(try AvroSchemaParser.parse(t).canonicalText == t) }
        #expect(try AvroSchemaParser.parse(#"{ "type" : "string" }"#).canonicalText == "\"string\"")
    }

    @Test func connectSchemaRoundTrips() throws {
        let inner = SchemaBuilder.struct().name("a.b.Inner").field("x", .int8).build()
        let s = SchemaBuilder.struct().name("a.b.Outer").version(2)
            .field("i", inner).field("d", Logical.date).field("t", Logical.time)
            .field("dec", Logical.decimal(scale: 3, precision: 9)).field("tags", SchemaBuilder.array(.string).build())
            .field("m", SchemaBuilder.map(.int64, .optionalString).build())
            .field("def", SchemaBuilder(type: .int32).defaultValue(.int32(7)).build())
            .build()
        let avro = try AvroSchemaParser.parse(try Self.text(s))
        let back = try AvroToConnect.convert(avro)
        #expect(back == s)
    }
}
