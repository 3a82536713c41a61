import Testing
import SluiceAPI
@testable import Runtime

/// `SubmittedRecords` across its compaction: records far past the first 1024 still map to their own offsets, an
/// out-of-order acknowledgement holds back the commit, and a repeated acknowledgement changes nothing.
@Suite struct SubmittedRecordsTests {
    @Test func offsetsStayExactAcrossCompactionAndDuplicateAcks() {
        let s = SubmittedRecords()
        let a: [String: JSONValue] = ["f": .string("a")], b: [String: JSONValue] = ["f": .string("b")]
        var entries: [SubmittedRecords.Entry] = []
        for i in 0..<5000 { entries.append(s.submit(partition: a, offset: ["o": .int(Int64(i))])) }
        let other = s.submit(partition: b, offset: ["o": .int(7)])
        // Everything but record 3000 acknowledged: only the prefix before it may commit.
        for (i, e) in entries.enumerated() where i != 3000 { s.ack(e) }
        #expect(s.takeCommittable() == [OffsetEntry(partition: a, offset: ["o": .int(2999)])])
        #expect(s.inFlight == 2)
        s.ack(entries[10])  // already acknowledged and compacted away: ignored
        s.ack(entries[4000])  // already acknowledged, still held: ignored
        #expect(s.inFlight == 2)
        s.ack(entries[3000])
        #expect(s.takeCommittable() == [OffsetEntry(partition: a, offset: ["o": .int(4999)])])
        // New records after the queue emptied get fresh positions.
        let next = s.submit(partition: a, offset: ["o": .int(5000)])
        s.ack(other)
        s.ack(next)
        let committed = s.takeCommittable()
        #expect(committed.count == 2)
        #expect(committed.contains(OffsetEntry(partition: a, offset: ["o": .int(5000)])))
        #expect(committed.contains(OffsetEntry(partition: b, offset: ["o": .int(7)])))
        #expect(s.inFlight == 0)
    }
}
