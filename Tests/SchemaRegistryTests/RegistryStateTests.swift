import SluiceAPI
import Testing

@testable import SchemaRegistry

/// The registry state machine without I/O: ids, versions, compatibility, deletes, replay.
@Suite struct RegistryStateTests {
    static let v1 = #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#
    static let v2WithDefault = #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":"x"}]}"#
    static let v2NoDefault = #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}"#

    @Test func idsAreGlobalAndVersionsPerSubject() throws {
        let r = try SchemaRegistryService(log: MemoryRegistryLog())
        #expect(try r.register(subject: "t-value", schema: "\"string\"", schemaType: "AVRO") == 1)
        // Same schema, other spelling, same subject: same id, no new version.
        #expect(try r.register(subject: "t-value", schema: #"{"type":"string"}"#, schemaType: "AVRO") == 1)
        #expect(try r.register(subject: "u-value", schema: "\"string\"", schemaType: "AVRO") == 1)
        #expect(try r.register(subject: "t-key", schema: "\"long\"", schemaType: "AVRO") == 2)
        #expect(try r.lookup(subject: "u-value", schema: "\"string\"", schemaType: "AVRO", deleted: false).version == 1)
        #expect(try r.schema(id: 2).schema == "\"long\"")
    }

    @Test func backwardCompatibilityIsTheDefault() throws {
        let r = try SchemaRegistryService(log: MemoryRegistryLog())
        _ = try r.register(subject: "s", schema: Self.v1, schemaType: "AVRO")
        #expect(throws: SchemaRegistryError.self) { _ = try r.register(subject: "s", schema: Self.v2NoDefault, schemaType: "AVRO") }
        do {
            _ = try r.register(subject: "s", schema: Self.v2NoDefault, schemaType: "AVRO")
        } catch let e as SchemaRegistryError {
            #expect(e.status == 409 && e.code == 409)
            #expect(e.message.contains("\"s\"") && e.message.contains("version: 1"))
        }
        #expect(try r.register(subject: "s", schema: Self.v2WithDefault, schemaType: "AVRO") == 2)
        #expect(try r.latest(subject: "s").version == 2)
    }

    @Test func compatibilityRules() throws {
        func ok(_ reader: String, _ writer: String) throws -> Bool {
            AvroCompatibility.check(reader: try AvroSchemaParser.parse(reader), writer: try AvroSchemaParser.parse(writer)).isEmpty
        }
        #expect(try ok("\"long\"", "\"int\""))
        #expect(try !ok("\"int\"", "\"long\""))
        #expect(try ok("\"bytes\"", "\"string\""))
        #expect(try ok(#"["null","int"]"#, "\"int\""))
        #expect(try !ok("\"int\"", #"["null","int"]"#))
        #expect(try ok(Self.v1, Self.v2NoDefault))  // reader ignores the writer's extra field
        #expect(try !ok(Self.v2NoDefault, Self.v1))
        #expect(try ok(#"{"type":"enum","name":"E","symbols":["A","B"]}"#, #"{"type":"enum","name":"E","symbols":["A"]}"#))
        #expect(try !ok(#"{"type":"enum","name":"E","symbols":["A"]}"#, #"{"type":"enum","name":"E","symbols":["A","B"]}"#))
    }

    @Test func forwardFullAndNone() throws {
        let r = try SchemaRegistryService(log: MemoryRegistryLog())
        try r.change { (_: RegistryState) throws(SchemaRegistryError) in ((), [RegistryRecord.config("f", .forward), RegistryRecord.config("n", CompatibilityLevel.none), RegistryRecord.config("full", .full)]) }
        _ = try r.register(subject: "f", schema: Self.v1, schemaType: "AVRO")
        #expect(try r.register(subject: "f", schema: Self.v2NoDefault, schemaType: "AVRO") == 2)  // forward: old reads new
        _ = try r.register(subject: "full", schema: Self.v1, schemaType: "AVRO")
        #expect(throws: SchemaRegistryError.self) { _ = try r.register(subject: "full", schema: Self.v2NoDefault, schemaType: "AVRO") }
        _ = try r.register(subject: "full", schema: Self.v2WithDefault, schemaType: "AVRO")
        _ = try r.register(subject: "n", schema: "\"int\"", schemaType: "AVRO")
        _ = try r.register(subject: "n", schema: "\"string\"", schemaType: "AVRO")
    }

    @Test func deletesAndReplay() throws {
        let log = MemoryRegistryLog()
        let r = try SchemaRegistryService(log: log)
        _ = try r.register(subject: "s", schema: Self.v1, schemaType: "AVRO")
        _ = try r.register(subject: "s", schema: Self.v2WithDefault, schemaType: "AVRO")
        let soft = try r.change { (s: RegistryState) throws(SchemaRegistryError) in try s.planDeleteSubject("s", permanent: false) }
        #expect(soft == [1, 2])
        #expect(throws: SchemaRegistryError.subjectNotFound("s")) { _ = try r.latest(subject: "s") }
        // Soft-deleted schemas keep their ids; a new version continues the numbering.
        #expect(try r.register(subject: "s", schema: Self.v1, schemaType: "AVRO") == 1)
        #expect(try r.latest(subject: "s").version == 3)
        let replayed = try SchemaRegistryService(log: log)
        #expect(try replayed.latest(subject: "s").version == 3)
        #expect(try replayed.schema(id: 2).schema == Self.v2WithDefault)
        #expect(try replayed.register(subject: "other", schema: "\"int\"", schemaType: "AVRO") == 3)
    }

    @Test func invalidSchemaIs42201() throws {
        let r = try SchemaRegistryService(log: MemoryRegistryLog())
        do {
            _ = try r.register(subject: "s", schema: #"{"type":"recrd"}"#, schemaType: "AVRO")
            Issue.record("no error")
        } catch let e as SchemaRegistryError {
            #expect(e.status == 422 && e.code == 42201)
        }
    }

    @Test func recordKeysHaveConfluentOrder() {
        let r = RegistryRecord.schema(RegisteredSchema(subject: "t-value", version: 1, id: 1, schema: "\"string\""))
        #expect(r.key == #"{"keytype":"SCHEMA","subject":"t-value","version":1,"magic":1}"#)
        #expect(r.value == #"{"subject":"t-value","version":1,"id":1,"schema":"\"string\"","deleted":false}"#)
        #expect(RegistryRecord.config(nil, .full).key == #"{"keytype":"CONFIG","magic":0}"#)
    }
}
