import Testing
@testable import CDC

@Suite struct SlotFlushTrackerTests {
    func pos(_ c: UInt64, _ e: UInt64) -> StreamPosition { StreamPosition(commitLSN: LSN(c), eventLSN: LSN(e)) }

    @Test func flushOnlyAfterOffsetsPersisted() {
        var t = SlotFlushTracker(confirmed: LSN(10))
        t.transactionBegan()
        t.recordEmitted(pos(100, 50))
        t.recordEmitted(pos(100, 60))
        t.transactionCommitted(endLSN: LSN(108), lastRecord: pos(100, 60))
        #expect(t.flushLSN == LSN(10))
        #expect(t.offsetsPersisted(pos(100, 50)) == nil)  // half the transaction is durable: not yet
        #expect(t.offsetsPersisted(pos(100, 60)) == LSN(108))
        #expect(t.offsetsPersisted(pos(100, 60)) == nil)  // no movement, nothing to send
    }

    @Test func emptyTransactionsWaitForEarlierOnes() {
        var t = SlotFlushTracker(confirmed: LSN(0))
        t.transactionBegan()
        t.recordEmitted(pos(100, 50))
        t.transactionCommitted(endLSN: LSN(108), lastRecord: pos(100, 50))
        t.transactionBegan()
        t.transactionCommitted(endLSN: LSN(208), lastRecord: nil)  // filtered: no records
        #expect(t.flushLSN == LSN(0))
        #expect(t.offsetsPersisted(pos(100, 50)) == LSN(208))
    }

    @Test func idleKeepaliveAdvancesOnlyWhenEverythingIsDurable() {
        var t = SlotFlushTracker(confirmed: LSN(0))
        #expect(t.idle(walEnd: LSN(500)) == LSN(500))  // nothing emitted ever: idle database moves the slot
        t.transactionBegan()
        #expect(t.idle(walEnd: LSN(600)) == nil)  // inside a transaction
        t.recordEmitted(pos(700, 650))
        t.transactionCommitted(endLSN: LSN(708), lastRecord: pos(700, 650))
        #expect(t.idle(walEnd: LSN(800)) == nil)  // record not yet persisted
        t.offsetsPersisted(pos(700, 650))
        #expect(t.flushLSN == LSN(708))
        #expect(t.idle(walEnd: LSN(800)) == LSN(800))
        #expect(t.idle(walEnd: LSN(700)) == nil)  // never backwards
    }
}
