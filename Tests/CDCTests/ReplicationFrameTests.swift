import Testing
@testable import CDC

@Suite struct ReplicationFrameTests {
    let w = WireBuilder()

    @Test func xLogDataCarriesPayload() throws {
        let payload = w.byte("B").int64(200).int64(3).int32(7).bytes
        let frame = w.byte("w").int64(100).int64(300).int64(42).raw(payload).bytes
        guard case .xLogData(let x) = try ReplicationFrame.parse(frame) else { Issue.record("not XLogData"); return }
        #expect(x.start == LSN(100) && x.end == LSN(300) && x.sendTime == 42)
        #expect(Array(x.payload) == payload)
        #expect(try PgOutputMessage.parse(x.payload) == .begin(BeginMessage(finalLSN: LSN(200), commitTimestamp: 3, xid: 7)))
    }

    @Test func keepalive() throws {
        let frame = w.byte("k").int64(0x1_0000_0010).int64(9).u8(1).bytes
        #expect(try ReplicationFrame.parse(frame) == .keepalive(PrimaryKeepalive(walEnd: LSN(0x1_0000_0010), sendTime: 9, replyRequested: true)))
        #expect(throws: PgOutputError.self) { try ReplicationFrame.parse(w.byte("k").int64(1).bytes) }
        #expect(throws: PgOutputError.self) { try ReplicationFrame.parse(w.byte("q").bytes) }
    }

    @Test func standbyStatusUpdateLayout() {
        let u = StandbyStatusUpdate(written: LSN(0x0102), flushed: LSN(0x0A0B), applied: LSN(0x0A0B), clockTime: 1, replyRequested: false)
        let expected = w.byte("r").int64(0x0102).int64(0x0A0B).int64(0x0A0B).int64(1).u8(0).bytes
        #expect(u.bytes == expected)
        #expect(u.bytes.count == 34)
    }
}
