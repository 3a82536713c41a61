import SluiceAPI
import Testing
import TestSupport
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

    @Test func aChunkIsAdmittedAsAWholeAndLandsRecordByRecord() {
        var l = RetentionLedger(limits: limits)
        l.sinkStarted("sink", matches: { $0 == "t" })
        #expect(l.admit(topic: "t", bytes: 400, records: 4) == .go)
        l.sent(topic: "t", bytes: 400, records: 4)
        // Four in flight: six more records fit, seven do not; 600 more bytes fit, 601 do not.
        #expect(l.admit(topic: "t", bytes: 600, records: 6) == .go)
        #expect(l.admit(topic: "t", bytes: 100, records: 7) != .go)
        #expect(l.admit(topic: "t", bytes: 601, records: 1) != .go)
        for i in 0..<4 { l.acked(tp(Int32(i % 2)), offset: Int64(i / 2), bytes: 100) }
        #expect(held(l, 0) == [200, 2] && held(l, 1) == [200, 2])
        // Nothing in flight any more: only the fullest partition (two records, 200 bytes) counts.
        #expect(l.admit(topic: "t", bytes: 800, records: 8) == .go)
        #expect(l.admit(topic: "t", bytes: 801, records: 8) != .go)
        guard case .wait(let b) = l.admit(topic: "t", bytes: 100, records: 9) else {
            Issue.record("expected to wait")
            return
        }
        #expect(b.records == 2 && b.inFlightRecords == 0)
        // A chunk larger than the limits still passes when nothing is outstanding (sources split theirs).
        l.sinkCommitted("sink", [tp(0): 2, tp(1): 2])
        #expect(l.admit(topic: "t", bytes: 5000, records: 50) == .go)
    }

    @Test func longBacklogsAreTrimmedExactlyAcrossCompactions() {
        var l = RetentionLedger(limits: .init(bytes: 1 << 40, records: 1 << 40))
        l.sinkStarted("sink", matches: { _ in true })
        var rng = SplitMix64(seed: 14)
        var next: [Int64] = [0, 0, 0], committed: [Int64] = [0, 0, 0]
        for _ in 0..<60 {
            for _ in 0..<Int(rng.next() % 2000) {
                let p = Int(rng.next() % 3)
                l.sent(topic: "t", bytes: 7)
                l.acked(tp(Int32(p)), offset: next[p], bytes: 7)
                next[p] += 1
            }
            let p = Int(rng.next() % 3)
            committed[p] = committed[p] + Int64(rng.next() % UInt64(next[p] - committed[p] + 1))
            l.sinkCommitted("sink", [tp(Int32(p)): committed[p]])
            for q in 0..<3 { #expect(held(l, Int32(q)) == [7 * (next[q] - committed[q]), next[q] - committed[q]]) }
        }
        l.sinkCommitted("sink", [tp(0): next[0], tp(1): next[1], tp(2): next[2]])
        for q in 0..<3 { #expect(held(l, Int32(q)) == [0, 0]) }
    }

    @Test func theEmbeddedLimitsLeaveRoomForOneBatchAndSizesBoundTheStoredBytes() {
        let brokerBytes: Int64 = 5 * 1024 * 1024
        let l = RetentionLedger.Limits.embedded()
        // The batch holding a sink's committed position is stored but only partly counted.
        #expect(l.bytes + RetentionLedger.Limits.librdkafkaBatchSize <= brokerBytes - 64 * 1024)
        #expect(l.bytes >= 4_000_000, "not needlessly small")
        #expect(l.records < 100_000, "the broker keeps 100,000 batches; a record is at least one")
        #expect(RetentionLedger.Limits.embedded(maxBatchBytes: 10_000_000).bytes == brokerBytes / 4, "never zero")
        // A record alone in its batch, incompressible: its bytes, lz4's worst-case growth, framing, batch overhead.
        let m = OutgoingMessage(topic: "t", key: [UInt8](repeating: 1, count: 100), value: [UInt8](repeating: 2, count: 2550),
                                headers: [("h", [3, 4])])
        let raw: Int64 = 100 + 2550 + 1 + 2
        #expect(EmbeddedRetentionGuard.SourceHook.size(m) >= raw + raw / 255 + 61 + 19 + 16)
    }
}
