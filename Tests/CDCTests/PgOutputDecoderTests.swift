import Testing
@testable import CDC

@Suite struct PgOutputDecoderTests {
    let w = WireBuilder()

    @Test func begin() throws {
        let bytes = w.byte("B").int64(0x16_B374_D848).int64(756_000_000_000_000).int32(742).bytes
        #expect(try PgOutputMessage.parse(bytes) == .begin(BeginMessage(finalLSN: LSN(0x16_B374_D848), commitTimestamp: 756_000_000_000_000, xid: 742)))
    }

    @Test func commit() throws {
        let bytes = w.byte("C").u8(0).int64(100).int64(120).int64(5).bytes
        #expect(try PgOutputMessage.parse(bytes) == .commit(CommitMessage(flags: 0, commitLSN: LSN(100), endLSN: LSN(120), commitTimestamp: 5)))
    }

    @Test func origin() throws {
        let bytes = w.byte("O").int64(77).string("node_a").bytes
        #expect(try PgOutputMessage.parse(bytes) == .origin(OriginMessage(commitLSN: LSN(77), name: "node_a")))
    }

    @Test func relation() throws {
        let bytes = w.byte("R").int32(16384).string("public").string("orders").u8(UInt8(ascii: "d")).int16(2)
            .u8(1).string("id").int32(23).int32(-1)
            .u8(0).string("amount").int32(1700).int32(((10 << 16) | 2) + 4).bytes
        let expected = RelationMessage(oid: 16384, namespace: "public", name: "orders", replicaIdentity: .default, columns: [
            .init(flags: 1, name: "id", typeOID: 23, typeModifier: -1),
            .init(flags: 0, name: "amount", typeOID: 1700, typeModifier: 655_366),
        ])
        #expect(try PgOutputMessage.parse(bytes) == .relation(expected))
        #expect(expected.columns[0].isKey && !expected.columns[1].isKey)
    }

    @Test func type() throws {
        let bytes = w.byte("Y").int32(90001).string("public").string("mood").bytes
        #expect(try PgOutputMessage.parse(bytes) == .type(TypeMessage(oid: 90001, namespace: "public", name: "mood")))
    }

    @Test func insertWithNullAndToast() throws {
        let bytes = w.byte("I").int32(16384).byte("N").tuple(["1", nil, "\u{0}TOAST", "héllo"]).bytes
        guard case .insert(let m) = try PgOutputMessage.parse(bytes) else { Issue.record("not an insert"); return }
        #expect(m.relationOID == 16384)
        #expect(m.newTuple.columns == [.text(Array("1".utf8)), .null, .unchangedToast, .text(Array("héllo".utf8))])
        #expect(m.newTuple.columns[3].string == "héllo")
    }

    @Test func updateVariants() throws {
        let plain = w.byte("U").int32(1).byte("N").tuple(["2"]).bytes
        #expect(try PgOutputMessage.parse(plain) == .update(UpdateMessage(relationOID: 1, oldTuple: nil, newTuple: TupleData([.text([50])]))))
        let keyed = w.byte("U").int32(1).byte("K").tuple(["1", nil]).byte("N").tuple(["2", "x"]).bytes
        guard case .update(let k) = try PgOutputMessage.parse(keyed) else { Issue.record("not an update"); return }
        #expect(k.oldTuple == .key(TupleData([.text([49]), .null])))
        let full = w.byte("U").int32(1).byte("O").tuple(["1", "a"]).byte("N").tuple(["1", "b"]).bytes
        guard case .update(let f) = try PgOutputMessage.parse(full) else { Issue.record("not an update"); return }
        #expect(f.oldTuple == .full(TupleData([.text([49]), .text([97])])))
    }

    @Test func delete() throws {
        let bytes = w.byte("D").int32(9).byte("K").tuple(["42"]).bytes
        #expect(try PgOutputMessage.parse(bytes) == .delete(DeleteMessage(relationOID: 9, oldTuple: .key(TupleData([.text(Array("42".utf8))])))))
        let bad = w.byte("D").int32(9).byte("N").tuple(["42"]).bytes
        #expect(throws: PgOutputError.self) { try PgOutputMessage.parse(bad) }
    }

    @Test func truncate() throws {
        let bytes = w.byte("T").int32(2).u8(3).int32(10).int32(11).bytes
        let m = TruncateMessage(options: 3, relationOIDs: [10, 11])
        #expect(try PgOutputMessage.parse(bytes) == .truncate(m))
        #expect(m.isCascade && m.restartsIdentity)
        let lying = w.byte("T").int32(1_000_000).u8(0).int32(10).bytes
        #expect(throws: PgOutputError.self) { try PgOutputMessage.parse(lying) }
    }

    @Test func logicalMessage() throws {
        let bytes = w.byte("M").u8(1).int64(555).string("audit").int32(3).raw([1, 2, 3]).bytes
        #expect(try PgOutputMessage.parse(bytes) == .message(LogicalMessage(flags: 1, lsn: LSN(555), prefix: "audit", content: [1, 2, 3])))
    }

    @Test func errorsAreDescriptive() {
        do {
            _ = try PgOutputMessage.parse(w.byte("B").int64(1).bytes)
            Issue.record("truncated Begin decoded")
        } catch let e as PgOutputError {
            #expect(e.code == .truncated)
            #expect(e.description.contains("Begin"))
            #expect(e.description.contains("commit timestamp"))
        } catch { Issue.record("unexpected \(error)") }
        #expect(throws: PgOutputError.self) { try PgOutputMessage.parse([]) }
        #expect(throws: PgOutputError.self) { try PgOutputMessage.parse([UInt8(ascii: "Z")]) }
        // Trailing bytes after a complete message are an error: each decoder consumes exactly what it is given.
        let trailing = w.byte("C").u8(0).int64(1).int64(2).int64(3).u8(9).bytes
        #expect(throws: PgOutputError.self) { try PgOutputMessage.parse(trailing) }
        let negativeLength = w.byte("I").int32(1).byte("N").int16(1).byte("t").int32(-5).bytes
        #expect(throws: PgOutputError.self) { try PgOutputMessage.parse(negativeLength) }
    }

    @Test func lsnText() {
        #expect(LSN("16/B374D848") == LSN(0x16_B374_D848))
        #expect(LSN(0x16_B374_D848).description == "16/B374D848")
        #expect(LSN("0/0") == .zero)
        #expect(LSN("xyz") == nil && LSN("1/2/3") == nil && LSN("123456789/0") == nil)
    }
}
