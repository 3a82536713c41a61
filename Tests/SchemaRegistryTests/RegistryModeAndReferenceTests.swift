import SluiceAPI
import Testing

@testable import SchemaRegistry

/// Modes (READONLY, READONLY_OVERRIDE, IMPORT) and schema references in the registry state, without I/O: what each
/// mode refuses, imports keeping their ids and versions, references resolved, kept in the log and protected from
/// deletion — and all of it surviving a replay of the log.
@Suite struct RegistryModeAndReferenceTests {
    static let address = #"{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"city","type":"string"}]}"#
    static let order = #"{"type":"record","name":"Order","namespace":"com.acme","fields":[{"name":"id","type":"long"},{"name":"ship_to","type":"com.acme.Address"}]}"#
    static let addressRef = [SchemaReference(name: "com.acme.Address", subject: "address", version: 1)]

    static func code(_ body: () throws -> Void) -> Int? {
        do { try body(); return nil } catch let e as SchemaRegistryError { return e.code } catch { return -1 }
    }

    @Test func readOnlyModesRefuseWritesButNotModeChanges() throws {
        let log = MemoryRegistryLog()
        let r = try SchemaRegistryService(log: log)
        _ = try r.register(subject: "t-value", schema: "\"string\"", schemaType: "AVRO")
        try r.change { (s: RegistryState) throws(SchemaRegistryError) in ((), try s.planMode("t-value", .readOnly, force: false)) }
        #expect(Self.code { _ = try r.register(subject: "t-value", schema: "\"string\"", schemaType: "AVRO") } == 42205)
        #expect(Self.code { try r.change { (s: RegistryState) throws(SchemaRegistryError) in try s.planDeleteSubject("t-value", permanent: false) } } == 42205)
        // Other subjects are not affected; reads still work.
        #expect(try r.register(subject: "u-value", schema: "\"int\"", schemaType: "AVRO") == 2)
        #expect(try r.latest(subject: "t-value").id == 1)
        // A global READONLY_OVERRIDE beats a subject's own READWRITE.
        try r.change { (s: RegistryState) throws(SchemaRegistryError) in ((), try s.planMode("u-value", .readWrite, force: false)) }
        try r.change { (s: RegistryState) throws(SchemaRegistryError) in ((), try s.planMode(nil, .readOnlyOverride, force: false)) }
        #expect(Self.code { _ = try r.register(subject: "u-value", schema: "\"long\"", schemaType: "AVRO") } == 42205)
        // The modes come back from the log.
        var replay = RegistryState()
        for rec in log.records { replay.apply(rec) }
        #expect(replay.mode("t-value") == .readOnlyOverride && replay.subjectMode("t-value") == .readOnly)
        #expect(replay.mode(nil) == .readOnlyOverride)
        // Leaving read-only mode is always possible, and writes work again.
        try r.change { (s: RegistryState) throws(SchemaRegistryError) in ((), try s.planMode(nil, nil, force: false)) }
        try r.change { (s: RegistryState) throws(SchemaRegistryError) in ((), try s.planMode("t-value", nil, force: false)) }
        #expect(try r.register(subject: "u-value", schema: "\"long\"", schemaType: "AVRO") == 3)
        #expect(log.records.contains { $0.key == #"{"keytype":"MODE","subject":"t-value","magic":0}"# && $0.value == #"{"subject":"t-value","mode":"READONLY"}"# })
        #expect(log.records.contains { $0.key == #"{"keytype":"MODE","magic":0}"# && $0.value == nil })
    }

    @Test func importKeepsIdsAndVersionsAndSkipsCompatibility() throws {
        let r = try SchemaRegistryService(log: MemoryRegistryLog())
        _ = try r.register(subject: "existing", schema: "\"string\"", schemaType: "AVRO")
        // IMPORT on a registry with subjects needs force; ids without IMPORT are refused.
        #expect(Self.code { try r.change { (s: RegistryState) throws(SchemaRegistryError) in ((), try s.planMode(nil, .importing, force: false)) } } == 42205)
        #expect(Self.code { _ = try r.register(subject: "t", schema: "\"int\"", schemaType: "AVRO", references: [], id: 40) } == 42205)
        try r.change { (s: RegistryState) throws(SchemaRegistryError) in ((), try s.planMode(nil, .importing, force: true)) }
        #expect(try r.register(subject: "t", schema: "\"int\"", schemaType: "AVRO", references: [], id: 40, version: 7) == 40)
        #expect(try r.latest(subject: "t").version == 7)
        // Incompatible under BACKWARD, accepted in IMPORT.
        #expect(try r.register(subject: "t", schema: "\"boolean\"", schemaType: "AVRO", references: [], id: 41, version: 8) == 41)
        // An id taken by another schema, or a schema registered under another id, is refused.
        #expect(Self.code { _ = try r.register(subject: "t", schema: "\"double\"", schemaType: "AVRO", references: [], id: 40) } == 42205)
        #expect(Self.code { _ = try r.register(subject: "t2", schema: "\"int\"", schemaType: "AVRO", references: [], id: 99) } == 42207)
        // Back to READWRITE: new ids continue after the highest imported one.
        try r.change { (s: RegistryState) throws(SchemaRegistryError) in ((), try s.planMode(nil, .readWrite, force: false)) }
        #expect(try r.register(subject: "n", schema: "\"float\"", schemaType: "AVRO") == 42)
    }

    @Test func avroReferencesResolveAndAreKeptByName() throws {
        let log = MemoryRegistryLog()
        let r = try SchemaRegistryService(log: log)
        #expect(try r.register(subject: "address", schema: Self.address, schemaType: "AVRO") == 1)
        // Without the reference the named type is unknown: 42201.
        #expect(Self.code { _ = try r.register(subject: "order", schema: Self.order, schemaType: "AVRO") } == 42201)
        // A reference to a version that does not exist: 42201 naming it.
        let missing = [SchemaReference(name: "com.acme.Address", subject: "address", version: 9)]
        #expect(Self.code { _ = try r.register(subject: "order", schema: Self.order, schemaType: "AVRO", references: missing) } == 42201)
        #expect(try r.register(subject: "order", schema: Self.order, schemaType: "AVRO", references: Self.addressRef) == 2)
        let v = try r.latest(subject: "order")
        #expect(v.references == Self.addressRef)
        // The canonical text names the referenced type instead of inlining it, as Avro's toString(referenced) does.
        #expect(v.schema == #"{"type":"record","name":"Order","namespace":"com.acme","fields":[{"name":"id","type":"long"},{"name":"ship_to","type":"Address"}]}"#)
        // Same text and references: same id; lookup needs the references too.
        #expect(try r.register(subject: "order", schema: Self.order, schemaType: "AVRO", references: Self.addressRef) == 2)
        #expect(try r.snapshot.lookup("order", Self.order, type: "AVRO", references: Self.addressRef, deleted: false).id == 2)
        #expect(Self.code { _ = try r.snapshot.lookup("order", Self.order, type: "AVRO", deleted: false) } == 42201)
        // The referenced version cannot be deleted while referred to.
        #expect(Self.code { try r.change { (s: RegistryState) throws(SchemaRegistryError) in try s.planDeleteVersion("address", "1", permanent: false) } } == 42206)
        #expect(r.snapshot.referencedBy("address", 1) == [2])
        // The SCHEMA record carries the references in Confluent's member order, and replays.
        #expect(log.records.contains { $0.value?.contains(#""id":2,"references":[{"name":"com.acme.Address","subject":"address","version":1}],"schema":"#) == true })
        var replay = RegistryState()
        for rec in log.records { replay.apply(rec) }
        #expect(try replay.schema(id: 2).references == Self.addressRef)
        // Once the referrer is gone, the reference can go.
        _ = try r.change { (s: RegistryState) throws(SchemaRegistryError) in try s.planDeleteSubject("order", permanent: false) }
        #expect(try r.change { (s: RegistryState) throws(SchemaRegistryError) in try s.planDeleteVersion("address", "1", permanent: false) } == 1)
    }

    @Test func compatibilityIsCheckedForProtobufAndJsonSubjects() throws {
        let r = try SchemaRegistryService(log: MemoryRegistryLog())
        let p1 = "syntax = \"proto3\";\nmessage Order {\n  int64 id = 1;\n  string item = 2;\n}\n"
        let p2 = "syntax = \"proto3\";\nmessage Order {\n  int64 id = 1;\n  int32 item = 2;\n}\n"
        let p3 = "syntax = \"proto3\";\nmessage Order {\n  int64 id = 1;\n  string item = 2;\n  double price = 3;\n}\n"
        _ = try r.register(subject: "p", schema: p1, schemaType: "PROTOBUF")
        #expect(Self.code { _ = try r.register(subject: "p", schema: p2, schemaType: "PROTOBUF") } == 409)
        #expect(try r.register(subject: "p", schema: p3, schemaType: "PROTOBUF") == 2)
        let j1 = #"{"type":"object","properties":{"id":{"type":"integer"}},"additionalProperties":false}"#
        let j2 = #"{"type":"object","properties":{"id":{"type":"string"}},"additionalProperties":false}"#
        let j3 = #"{"type":"object","properties":{"id":{"type":"integer"},"note":{"type":"string"}},"additionalProperties":false}"#
        _ = try r.register(subject: "j", schema: j1, schemaType: "JSON")
        #expect(Self.code { _ = try r.register(subject: "j", schema: j2, schemaType: "JSON") } == 409)
        #expect(try r.register(subject: "j", schema: j3, schemaType: "JSON") == 4)
        // A schema of another type than the latest version is incompatible with it.
        #expect(Self.code { _ = try r.register(subject: "j", schema: "\"string\"", schemaType: "AVRO") } == 409)
    }
}
