import Foundation
import Kafka
import SchemaRegistry
import SluiceAPI
import Synchronization
import Testing

@testable import Runtime

/// The registry's `_schemas` store on the embedded Kafka: two registries (as two workers have) registering the same
/// and different schemas at the same time get one id per schema, a restarted registry replays the same ids, and the
/// topic holds Confluent's records.
@Suite(.serialized) struct SchemasTopicStoreTests {
    static func registry(_ kafka: EmbeddedKafka, _ topic: String) throws -> SchemaRegistryService {
        try SchemaRegistryService(log: KafkaRegistryLog(topic: topic, bootstrapServers: kafka.bootstrapServers), defaultLevel: .none)
    }

    static func schema(_ i: Int) -> String { #"{"type":"record","name":"R\#(i)","fields":[{"name":"a","type":"int"}]}"# }

    @Test(.timeLimit(.minutes(2))) func twoRegistriesShareIdsAndRestart() throws {
        let kafka = try EmbeddedKafka.start()
        defer { kafka.stop() }
        let admin = try KafkaAdmin.make(config: ["bootstrap.servers": kafka.bootstrapServers])
        try SchemasTopic.ensure(admin: admin, name: "_schemas", replicationFactor: -1)
        let a = try Self.registry(kafka, "_schemas"), b = try Self.registry(kafka, "_schemas")
        struct Outcome: Sendable { var subject: String; var schema: Int; var id: Int }
        let outcomes = Mutex<[Outcome]>([])
        let failures = Mutex<[String]>([])
        // 24 registrations at once, half through each registry: each schema under two subjects, each subject
        // getting several schemas, so ids and versions race.
        DispatchQueue.concurrentPerform(iterations: 24) { i in
            let subject = "s\(i % 3)-value", schema = (i / 2) % 5
            do {
                let id = try (i % 2 == 0 ? a : b).register(subject: subject, schema: Self.schema(schema), schemaType: "AVRO")
                outcomes.withLock { $0.append(Outcome(subject: subject, schema: schema, id: id)) }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let all = outcomes.withLock { $0 }
        var idOf: [Int: Int] = [:]
        for o in all {
            if let known = idOf[o.schema] { #expect(known == o.id, "schema \(o.schema): ids \(known) and \(o.id)") } else { idOf[o.schema] = o.id }
        }
        #expect(idOf.count == 5 && Set(idOf.values).count == 5)
        // Both registries answer the same for every registration (b reads a's writes and vice versa).
        for o in all {
            #expect(try a.lookup(subject: o.subject, schema: Self.schema(o.schema), schemaType: "AVRO", deleted: false).id == o.id)
            #expect(try b.lookup(subject: o.subject, schema: Self.schema(o.schema), schemaType: "AVRO", deleted: false).id == o.id)
            #expect(try b.schema(id: o.id).schema == Self.schema(o.schema))
        }
        // A schema registered through a is found through b right away (b catches up on a miss).
        let fresh = try a.register(subject: "late-value", schema: "\"string\"", schemaType: "AVRO")
        #expect(try b.schema(id: fresh).schema == "\"string\"")
        #expect(fresh == 6)

        // Restart: a new registry on the topic replays the same subjects and ids.
        let before = try a.read { (s: RegistryState) throws(SchemaRegistryError) in s.subjects }
        a.close()
        b.close()
        let restarted = try Self.registry(kafka, "_schemas")
        defer { restarted.close() }
        #expect(try restarted.read { (s: RegistryState) throws(SchemaRegistryError) in s.subjects } == before)
        #expect(try restarted.register(subject: "s0-value", schema: Self.schema(0), schemaType: "AVRO") == idOf[0])
        #expect(try restarted.register(subject: "new-value", schema: "\"long\"", schemaType: "AVRO") == 7)

        // The topic holds Confluent's records: JSON keys in Confluent's member order, all in partition 0.
        let messages = try TopicReader.read(bootstrapServers: kafka.bootstrapServers, topic: "_schemas", count: 1_000, timeoutMs: 3_000)
        #expect(!messages.isEmpty && messages.allSatisfy { $0.partition == 0 })
        let last = try #require(messages.last)
        #expect(String(decoding: last.key ?? [], as: UTF8.self) == #"{"keytype":"SCHEMA","subject":"new-value","version":1,"magic":1}"#)
        #expect(String(decoding: last.value ?? [], as: UTF8.self) == #"{"subject":"new-value","version":1,"id":7,"schema":"\"long\"","deleted":false}"#)
    }

    @Test func topicChecks() {
        #expect(SchemasTopic.check(name: "_schemas", partitions: 1, cleanupPolicy: "compact") == nil)
        #expect(SchemasTopic.check(name: "_schemas", partitions: 1, cleanupPolicy: "compact, delete") == nil)
        #expect(SchemasTopic.check(name: "_schemas", partitions: 3, cleanupPolicy: "compact")?.description.contains("exactly 1") == true)
        #expect(SchemasTopic.check(name: "_schemas", partitions: 1, cleanupPolicy: "delete")?.description.contains("compact") == true)
    }
}
