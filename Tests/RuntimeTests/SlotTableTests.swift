import Testing
@testable import Runtime

/// The producer's table of in-flight receipts: ids are slots, freed slots are reused, a slot is taken once.
@Suite struct SlotTableTests {
    @Test func slotsAreReusedAndTakenOnce() {
        var t = SlotTable<String>()
        let a = t.insert("a"), b = t.insert("b"), c = t.insert("c")
        #expect([a, b, c] == [0, 1, 2])
        #expect(t.count == 3)
        #expect(t.remove(b) == "b")
        #expect(t.remove(b) == nil, "a report for a slot already settled settles nothing")
        #expect(t.remove(99) == nil)
        #expect(t.remove(-1) == nil)
        #expect(t.insert("d") == b, "a freed slot is used again before the table grows")
        #expect(t.insert("e") == 3)
        #expect(t.count == 4)
        #expect([t.remove(a), t.remove(c), t.remove(b), t.remove(3)] == ["a", "c", "d", "e"])
        #expect(t.count == 0)
    }
}
