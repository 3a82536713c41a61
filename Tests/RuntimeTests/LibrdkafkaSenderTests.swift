import Foundation
import Kafka
import Logging
import SluiceAPI
import Testing
import TestSupport
@testable import Runtime

/// The worker's producer on the embedded Kafka: a source task's records sent a poll at a time are acknowledged in
/// batches, each with its own receipt and where it was stored; keyed records land where Java's partitioner puts
/// them; a record the producer refuses fails the call only when nothing before it was taken.
@Suite(.serialized) struct LibrdkafkaSenderTests {
    static func sends(_ n: Int, topic: String, submitted: SubmittedRecords, valueBytes: Int = 8) -> [SourceSend] {
        (0..<n).map { i in
            let record = SourceRecord(sourcePartition: ["p": .string("x")], sourceOffset: ["o": .int(Int64(i))], topic: topic,
                                      keySchema: nil, key: .null, valueSchema: Schema.int64, value: .int64(Int64(i)))
            let message = OutgoingMessage(topic: topic, key: Array("key-\(i)".utf8), value: Array(repeating: UInt8(i % 256), count: valueBytes),
                                          headers: [("h", Array("\(i)".utf8))])
            return (message, SourceReceipt(submitted: submitted.submit(partition: record.sourcePartition, offset: record.sourceOffset),
                                           record: record, bytes: Int64(i)))
        }
    }

    @Test(.timeLimit(.minutes(2))) func recordsAreAcknowledgedInBatchesWhereJavaWouldPlaceThem() throws {
        let kafka = try EmbeddedKafka.start()
        defer { kafka.stop() }
        try kafka.createTopic("keyed", partitions: 16)
        let factory = LibrdkafkaClientFactory(logger: Logger(label: "test"))
        let sender = try factory.makeSender(props: ["bootstrap.servers": kafka.bootstrapServers], clientId: "t")
        var batches: [[SourceRecordAck]] = []
        var failures: [SourceRecordFailure] = []
        sender.onRecordAcks = { batches.append($0) }
        sender.onRecordFailure = { failures.append($0) }
        let submitted = SubmittedRecords()
        let items = Self.sends(2000, topic: "keyed", submitted: submitted)
        var sent = 0
        while sent < items.count {
            sent += try sender.sendRecords(items[sent...])
            if sent < items.count { sender.poll(timeoutMs: 100) }
        }
        #expect(sender.flush(timeoutMs: 30_000))
        #expect(sender.outstanding == 0)
        #expect(failures.isEmpty)
        let acks = batches.flatMap { $0 }
        #expect(acks.count == 2000)
        #expect(batches.count < 2000, "acknowledgements arrive in batches, not one call per record")
        #expect(Set(acks.map { $0.record.sourceOffset["o"] }) == Set((0..<2000).map { JSONValue.int(Int64($0)) }))
        for a in acks {
            let i = Int(a.receipt.bytes)  // the test's receipts carry their index
            #expect(a.record.value == .int64(Int64(i)), "each acknowledgement settles its own receipt")
            #expect(a.metadata.topic == "keyed")
            #expect(a.metadata.partition == KafkaPartitioner.partition(forKey: Array("key-\(i)".utf8), partitionCount: 16),
                    "keyed records go where Java's default partitioner (murmur2) puts them")
            #expect(a.metadata.offset >= 0)
        }
        submitted.ack(acks.map(\.receipt.submitted))
        #expect(submitted.takeCommittable().map(\.offset) == [["o": .int(1999)]])
        sender.close()
    }

    @Test(.timeLimit(.minutes(2))) func aRefusedRecordEndsTheBatchAndFailsTheNextCall() throws {
        let kafka = try EmbeddedKafka.start()
        defer { kafka.stop() }
        let factory = LibrdkafkaClientFactory(logger: Logger(label: "test"))
        let sender = try factory.makeSender(props: ["bootstrap.servers": kafka.bootstrapServers, "max.request.size": "100000", "batch.size": "50000"], clientId: "t")
        var acked = 0
        sender.onRecordAcks = { acked += $0.count }
        let submitted = SubmittedRecords()
        var items = Self.sends(3, topic: "refused", submitted: submitted)
        items[1].message.value = Array(repeating: 1, count: 200_000)  // larger than the producer takes
        #expect(try sender.sendRecords(items[...]) == 1, "the record before the refused one was taken")
        do {
            _ = try sender.sendRecords(items[1...])
            Issue.record("a record larger than max.request.size must be refused")
        } catch let e as KafkaError {
            #expect(e.code == KafkaError.Code(rawValue: 10), "MSG_SIZE_TOO_LARGE")
        }
        #expect(sender.flush(timeoutMs: 30_000))
        #expect(acked == 1, "only the record taken is acknowledged; the refused one has no receipt left behind")
        sender.close()
    }

    @Test(.timeLimit(.minutes(1))) func undeliveredRecordsAreReportedWithTheirReceipts() throws {
        // Nothing listens there: every record times out after message.timeout.ms and comes back as a failure.
        let factory = LibrdkafkaClientFactory(logger: Logger(label: "test"))
        let sender = try factory.makeSender(props: ["bootstrap.servers": "127.0.0.1:\(TestSupport.freePort())", "message.timeout.ms": "300"], clientId: "t")
        var acked = 0
        var failures: [SourceRecordFailure] = []
        sender.onRecordAcks = { acked += $0.count }
        sender.onRecordFailure = { failures.append($0) }
        let items = Self.sends(3, topic: "nowhere", submitted: SubmittedRecords())
        #expect(try sender.sendRecords(items[...]) == 3)
        let deadline = Date().addingTimeInterval(20)
        while failures.count < 3 && Date() < deadline { sender.poll(timeoutMs: 100) }
        #expect(acked == 0)
        #expect(failures.map(\.topic) == ["nowhere", "nowhere", "nowhere"])
        #expect(Set(failures.map(\.receipt.bytes)) == [0, 1, 2], "each failure carries its own receipt")
        #expect(failures.allSatisfy { "\($0.error)".contains("timed out") }, "\(failures.map { "\($0.error)" })")
        #expect(sender.outstanding == 0)
        sender.close()
    }
}
