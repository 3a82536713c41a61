import Foundation
import Kafka
import Testing
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// SpoolDir CSV → InsertField/ReplaceField/Cast through a real worker: the runtime fuses the three stages into one
/// pass (FieldProgramChain); the records on the topic must be what the stages give one by one.
@Suite struct FusedChainPipelineTests {
    @Test func fusedChainThroughAWorker() async throws {
        let w = try await TestWorker()
        for d in ["in", "finished", "error"] { try FileManager.default.createDirectory(atPath: w.dir.file(d), withIntermediateDirectories: true) }
        _ = FileManager.default.createFile(atPath: w.dir.file("in/orders.csv"), contents: Data("id,customer,qty\n1,Ann,5\n2,Bob,\n".utf8))
        let r = try await w.create("fused", [
            "connector.class": "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirCsvSourceConnector",
            "input.path": w.dir.file("in"), "finished.path": w.dir.file("finished"), "error.path": w.dir.file("error"),
            "input.file.pattern": #"^.*\.csv$"#, "topic": "fused", "csv.first.row.as.header": "true", "schema.generation.enabled": "true",
            "topic.creation.default.partitions": "1", "topic.creation.default.replication.factor": "1",
            "transforms": "insert,rename,cast",
            "transforms.insert.type": "org.apache.kafka.connect.transforms.InsertField$Value",
            "transforms.insert.static.field": "source", "transforms.insert.static.value": "sluice",
            "transforms.rename.type": "org.apache.kafka.connect.transforms.ReplaceField$Value",
            "transforms.rename.renames": "customer:customer_name",
            "transforms.cast.type": "org.apache.kafka.connect.transforms.Cast$Value",
            "transforms.cast.spec": "qty:int32,id:string",
        ])
        #expect(r.status == 201, "\(r.raw)")
        try await w.waitForActiveTopic("fused", "fused")
        let bootstrap = w.bootstrap
        let msgs = try await withCheckedThrowingContinuation { c in
            Thread.detachNewThread { c.resume(with: Result { try TopicReader.read(bootstrapServers: bootstrap, topic: "fused", count: 2, timeoutMs: 20_000) }) }
        }
        let text = msgs.map { String(decoding: $0.value ?? [], as: UTF8.self) }
        #expect(text.count == 2)
        #expect(text.allSatisfy { $0.contains(#""source":"sluice""#) && $0.contains(#""customer_name":"#) })
        #expect(text.first?.contains(#""id":"1""#) == true)
        #expect(text.first?.contains(#""qty":5"#) == true)
        #expect(text.last?.contains(#""id":"2""#) == true && text.last?.contains(#""qty":null"#) == true)
        #expect(text.allSatisfy { !$0.contains(#""customer":"#) })
        await w.shutdown()
    }
}
