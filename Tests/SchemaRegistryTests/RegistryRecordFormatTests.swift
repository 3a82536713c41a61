import SluiceAPI
import Testing

@testable import SchemaRegistry

/// The `_schemas` records against Confluent's format (spec schema-registry.md, "`_schemas` topic"): what we write is
/// byte-identical where compaction needs it, and records Confluent wrote replay into the expected state.
@Suite struct RegistryRecordFormatTests {
    @Test func writtenKeysAndValuesAreConfluents() {
        let avro = RegistryRecord.schema(RegisteredSchema(subject: "t-value", version: 1, id: 1, schema: "\"string\""))
        #expect(avro.key == #"{"keytype":"SCHEMA","subject":"t-value","version":1,"magic":1}"#)
        #expect(avro.value == #"{"subject":"t-value","version":1,"id":1,"schema":"\"string\"","deleted":false}"#)
        let proto = RegistryRecord.schema(RegisteredSchema(subject: "t-value", version: 2, id: 7, schemaType: "PROTOBUF", schema: "syntax = \"proto3\";", deleted: true))
        #expect(proto.value == #"{"subject":"t-value","version":2,"id":7,"schemaType":"PROTOBUF","schema":"syntax = \"proto3\";","deleted":true}"#)
        #expect(RegistryRecord.schemaTombstone("t-value", 2) == RegistryRecord(key: #"{"keytype":"SCHEMA","subject":"t-value","version":2,"magic":1}"#, value: nil))
        #expect(RegistryRecord.config(nil, .full) == RegistryRecord(key: #"{"keytype":"CONFIG","magic":0}"#, value: #"{"compatibilityLevel":"FULL"}"#))
        #expect(RegistryRecord.config("t-value", .full) == RegistryRecord(
            key: #"{"keytype":"CONFIG","subject":"t-value","magic":0}"#, value: #"{"subject":"t-value","compatibilityLevel":"FULL"}"#))
        #expect(RegistryRecord.config("t-value", nil).value == nil)
        #expect(RegistryRecord.deleteSubject("t-value", upTo: 3) == RegistryRecord(
            key: #"{"keytype":"DELETE_SUBJECT","subject":"t-value","magic":0}"#, value: #"{"subject":"t-value","version":3}"#))
        #expect(RegistryRecord.clearSubject("t-value") == RegistryRecord(
            key: #"{"keytype":"CLEAR_SUBJECT","subject":"t-value","magic":0}"#, value: #"{"subject":"t-value"}"#))
    }

    /// A topic as Confluent 7.x/8.x writes it: magic 0 and 1 keys, 8.x `schemaType":"AVRO"` and extra fields,
    /// a NOOP, a legacy global config, a soft delete, a DELETE_SUBJECT and a hard delete.
    @Test func confluentTopicReplays() throws {
        let topic: [RegistryRecord] = [
            .init(key: #"{"keytype":"NOOP","magic":0}"#, value: nil),
            .init(key: #"{"keytype":"CONFIG","magic":0}"#, value: #"{"compatibilityLevel":"NONE"}"#),
            .init(key: #"{"keytype":"SCHEMA","subject":"t-value","version":1,"magic":1}"#,
                  value: #"{"subject":"t-value","version":1,"id":1,"schema":"\"string\"","deleted":false}"#),
            .init(key: #"{"keytype":"SCHEMA","subject":"t-value","version":2,"magic":0}"#,
                  value: #"{"subject":"t-value","version":2,"id":2,"schemaType":"AVRO","schema":"\"long\"","deleted":false,"metadata":null,"ruleSet":null,"md5":"x","ts":1}"#),
            .init(key: #"{"keytype":"SCHEMA","subject":"p-value","version":1,"magic":1}"#,
                  value: #"{"subject":"p-value","version":1,"id":3,"schemaType":"PROTOBUF","references":[{"name":"a.proto","subject":"a","version":1}],"schema":"syntax = \"proto3\";"}"#),
            .init(key: #"{"keytype":"SCHEMA","subject":"u-value","version":1,"magic":1}"#,
                  value: #"{"subject":"u-value","version":1,"id":1,"schema":"\"string\"","deleted":false}"#),
            .init(key: #"{"keytype":"CONFIG","subject":"u-value","magic":0}"#, value: #"{"subject":"u-value","compatibilityLevel":"FULL"}"#),
            .init(key: #"{"keytype":"MODE","subject":"u-value","magic":0}"#, value: #"{"subject":"u-value","mode":"READONLY"}"#),
            // Soft delete of u-value v1 then DELETE_SUBJECT; hard delete of t-value v2.
            .init(key: #"{"keytype":"SCHEMA","subject":"u-value","version":1,"magic":1}"#,
                  value: #"{"subject":"u-value","version":1,"id":1,"schema":"\"string\"","deleted":true}"#),
            .init(key: #"{"keytype":"DELETE_SUBJECT","subject":"u-value","magic":0}"#, value: #"{"subject":"u-value","version":1}"#),
            .init(key: #"{"keytype":"SCHEMA","subject":"t-value","version":2,"magic":0}"#,
                  value: #"{"subject":"t-value","version":2,"id":2,"schema":"\"long\"","deleted":true}"#),
            .init(key: #"{"keytype":"SCHEMA","subject":"t-value","version":2,"magic":1}"#, value: nil),
        ]
        var s = RegistryState()
        for r in topic { s.apply(r) }
        #expect(s.level(nil) == CompatibilityLevel.none)
        #expect(s.level("u-value") == .full)
        #expect(s.live("t-value").map(\.version) == [1])
        #expect(s.live("u-value").isEmpty && s.live("u-value", deleted: true).map(\.deleted) == [true])
        #expect(try s.schema(id: 3).schemaType == "PROTOBUF")
        #expect(try s.schema(id: 2).schema == "\"long\"")  // ids outlive hard deletes, as in Confluent's lookup cache
        #expect(s.maxId == 3)
        // The next registration continues after the highest id seen.
        #expect(try s.planRegister("n", "\"int\"", type: "AVRO").id == 4)
    }

    /// Two writers raced: the first record for an id and for a live subject version wins everywhere.
    @Test func firstRecordWinsAndOverwrittenWinnersAreRepaired() throws {
        func rec(_ subject: String, _ version: Int, _ id: Int, _ schema: String) -> RegistryRecord {
            .schema(RegisteredSchema(subject: subject, version: version, id: id, schema: schema))
        }
        var s = RegistryState()
        s.apply(rec("s", 1, 1, "\"int\""))
        s.apply(rec("s", 1, 1, "\"int\""))       // the same registration from another worker: harmless
        s.apply(rec("s", 1, 2, "\"long\""))      // same version, other schema: dropped
        s.apply(rec("t", 1, 1, "\"string\""))    // id 1 already means "int": dropped
        #expect(s.live("s").map(\.schema) == ["\"int\""])
        #expect(s.live("t").isEmpty)
        #expect(s.maxId == 1)
        // The dropped record is now the last of key s/1: the winner must be written again.
        #expect(s.repairRecords() == [rec("s", 1, 1, "\"int\"")])
        for r in s.repairRecords() { s.apply(r) }
        #expect(s.repairRecords().isEmpty)
        // A soft delete (same id and text) and a tombstone are legitimate updates of a key.
        var deleted = RegisteredSchema(subject: "s", version: 1, id: 1, schema: "\"int\"")
        deleted.deleted = true
        s.apply(.schema(deleted))
        #expect(s.live("s").isEmpty)
        s.apply(.schemaTombstone("s", 1))
        s.apply(rec("s", 1, 3, "\"long\""))      // after a hard delete, version 1 may be reused
        #expect(s.live("s").map(\.id) == [3])
    }
}
