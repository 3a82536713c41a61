import SluiceAPI
import Testing
@testable import Runtime

/// The embedded Kafka's retention guard as transcripts: sends, acknowledgements and sink commits in, admissions out.
@Suite struct RetentionLedgerTests {
    let limits = RetentionLedger.Limits(bytes: 1000, records: 10)
    func tp(_ p: Int32, _ topic: String = "t") -> TopicPartition { TopicPartition(topic, p) }
    func held(_ l: RetentionLedger, _ p: Int32) -> [Int64] { let h = l.held(tp(p)); return [h.bytes, h.records] }

    @Test func topicsWithoutALocalSinkAreNeverHeldBack() {
        var l = RetentionLedger(limits: limits)
        for i in 0..<100 {
            #expect(l.admit(topic: "t", bytes: 100) == .go)
            l.sent(topic: "t", bytes: 100)
            l.acked(tp(0), offset: Int64(i), bytes: 100)
        }
        #expect(l.held(tp(0)).records == 0)
    }

    @Test func aSinkThatDoesNotCommitHoldsTheSourceAtTheLimitThenReleasesIt() {
        var l = RetentionLedger(limits: limits)
        l.sinkStarted("sink", matches: { $0 == "t" })
        // Nine records of 100 bytes acknowledged on partition 0: 900 bytes unconsumed.
        for i in 0..<9 {
            #expect(l.admit(topic: "t", bytes: 100) == .go)
            l.sent(topic: "t", bytes: 100)
            l.acked(tp(0), offset: Int64(i), bytes: 100)
        }
        #expect(held(l, 0) == [900, 9])
        #expect(l.admit(topic: "t", bytes: 100) == .go)  // exactly at the limit
        l.sent(topic: "t", bytes: 100)
        // In flight (partition unknown yet) counts against every partition of the topic.
        guard case .wait(let b) = l.admit(topic: "t", bytes: 1) else {
            Issue.record("expected to wait")
            return
        }
        #expect(b.partition == tp(0) && b.bytes == 900 && b.records == 9 && b.inFlightRecords == 1 && b.sinks == ["sink"])
        l.acked(tp(1), offset: 0, bytes: 100)
        #expect(l.admit(topic: "t", bytes: 101) != .go, "partition 0 still holds 900 bytes")
        // The sink commits partition 0 up to offset 5 (next offset): offsets 0...4 are safe.
        l.sinkCommitted("sink", [tp(0): 5])
        #expect(held(l, 0) == [400, 4])
        #expect(l.admit(topic: "t", bytes: 100) == .go)
        // Other topics are unaffected throughout.
        #expect(l.admit(topic: "other", bytes: 10_000) == .go)
    }

    @Test func everySubscribedSinkMustHaveConsumedARecord() {
        var l = RetentionLedger(limits: limits)
        l.sinkStarted("fast", matches: { $0 == "t" })
        l.sinkStarted("slow", matches: { $0.hasPrefix("t") })
        for i in 0..<10 {
            l.sent(topic: "t", bytes: 50)
            l.acked(tp(0), offset: Int64(i), bytes: 50)
        }
        l.sinkCommitted("fast", [tp(0): 10])
        #expect(held(l, 0) == [500, 10], "the slow sink has read nothing yet")
        #expect(l.admit(topic: "t", bytes: 1) != .go, "ten records is the record limit")
        l.sinkCommitted("slow", [tp(0): 8])
        #expect(held(l, 0) == [100, 2])
        #expect(l.admit(topic: "t", bytes: 1) == .go)
        // A record both sinks already read (they ran ahead of its acknowledgement) is not held.
        l.sinkCommitted("slow", [tp(0): 12])
        l.sinkCommitted("fast", [tp(0): 12])
        l.sent(topic: "t", bytes: 50)
        l.acked(tp(0), offset: 11, bytes: 50)
        #expect(l.held(tp(0)).records == 0)
    }

    @Test func aStoppedSinkReleasesItsSourcesAndItsTasksAreCounted() {
        var l = RetentionLedger(limits: limits)
        l.sinkStarted("sink", matches: { $0 == "t" })
        l.sinkStarted("sink", matches: { $0 == "t" })  // a second task of the same connector
        for i in 0..<10 {
            l.sent(topic: "t", bytes: 100)
            l.acked(tp(Int32(i % 2)), offset: Int64(i / 2), bytes: 100)
        }
        #expect(l.admit(topic: "t", bytes: 600) != .go)
        l.sinkStopped("sink")
        #expect(l.admit(topic: "t", bytes: 600) != .go, "one task of the connector still runs")
        l.sinkStopped("sink")
        #expect(l.admit(topic: "t", bytes: 600) == .go)
        #expect(l.held(tp(0)).records == 0 && l.held(tp(1)).records == 0)
    }

    @Test func aFailedSendLeavesNothingInFlightAndOneHugeRecordStillPasses() {
        var l = RetentionLedger(limits: limits)
        l.sinkStarted("sink", matches: { _ in true })
        #expect(l.admit(topic: "t", bytes: 5000) == .go, "nothing outstanding: a record larger than the limit passes")
        l.sent(topic: "t", bytes: 5000)
        #expect(l.admit(topic: "t", bytes: 1) != .go)
        l.failed(topic: "t", bytes: 5000)
        #expect(l.admit(topic: "t", bytes: 1) == .go)
    }
}
