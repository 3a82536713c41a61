import Foundation
import Synchronization
import Testing

@testable import SchemaRegistry

/// Several registries on one shared log (the `_schemas` situation, without Kafka): a log shared in memory whose
/// readers catch up only on `sync`, with a random delay before each append so that plans go stale and writes race.
@Suite struct ConcurrentRegistryTests {
    final class SharedLog: Sendable {
        let records = Mutex<[RegistryRecord]>([])

        final class Handle: RegistryLog {
            let shared: SharedLog
            /// Position and delivery, held while delivering so that records go out in order.
            private let reader = Mutex<(position: Int, deliver: (@Sendable (RegistryRecord) -> Void)?)>((0, nil))
            init(_ shared: SharedLog) { self.shared = shared }

            func start(_ deliver: @escaping @Sendable (RegistryRecord) -> Void) throws {
                reader.withLock { $0.deliver = deliver }
                try sync()
            }
            func append(_ records: [RegistryRecord]) throws {
                usleep(UInt32.random(in: 0...300))
                shared.records.withLock { $0 += records }
            }
            func sync() throws {
                reader.withLock { r in
                    let all = shared.records.withLock { $0 }
                    for rec in all[r.position...] { r.deliver?(rec) }
                    r.position = all.count
                }
            }
            func close() {}
        }
    }

    @Test func racingRegistriesAgreeOnIds() throws {
        let shared = SharedLog()
        let registries = try (0..<4).map { _ in try SchemaRegistryService(log: SharedLog.Handle(shared), defaultLevel: .none) }
        // Records of different names (compatibility NONE lets them follow each other under one subject).
        let schemas = (0..<6).map { #"{"type":"record","name":"R\#($0)","fields":[{"name":"a","type":"int"}]}"# }
        let subjects = ["a-value", "b-value", "c-value"]
        struct Outcome: Hashable { var subject: String; var schema: Int; var id: Int }
        let outcomes = Mutex<[Outcome]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 48) { i in
            let subject = subjects[i % subjects.count], schema = (i / 2) % schemas.count
            do {
                let id = try registries[i % registries.count].register(subject: subject, schema: schemas[schema], schemaType: "AVRO")
                outcomes.withLock { $0.append(Outcome(subject: subject, schema: schema, id: id)) }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let all = outcomes.withLock { $0 }
        #expect(all.count == 48)
        // One id per schema, whichever registry and subject registered it; different schemas, different ids.
        var idOf: [Int: Int] = [:]
        for o in all {
            if let known = idOf[o.schema] { #expect(known == o.id, "schema \(o.schema) got ids \(known) and \(o.id)") } else { idOf[o.schema] = o.id }
        }
        #expect(Set(idOf.values).count == idOf.count)
        // Every registry ends with the same state, which agrees with the answers given.
        for r in registries { _ = try r.change { (_: RegistryState) throws(SchemaRegistryError) in ((), []) } }
        let reference = registries[0].snapshot
        for r in registries {
            let s = r.snapshot
            #expect(s.subjects == reference.subjects)
            #expect(s.repairRecords().isEmpty)
        }
        for o in all {
            #expect(try registries[1].lookup(subject: o.subject, schema: schemas[o.schema], schemaType: "AVRO", deleted: false).id == o.id)
        }
        // Versions per subject are 1…n without gaps among the winners.
        for subject in subjects {
            #expect(reference.live(subject).map(\.version) == Array(1...reference.live(subject).count))
        }
        // A registry started later replays the same state.
        let late = try SchemaRegistryService(log: SharedLog.Handle(shared))
        #expect(late.snapshot.subjects == reference.subjects)
    }
}
