/// Values indexed by small integers that are reused once freed: the records a producer has in flight, keyed by
/// the id librdkafka hands back with each delivery report. Insert and remove are O(1), with no hashing and no
/// allocation once the table has grown to the number in flight. Not thread-safe (callers lock).
struct SlotTable<Value> {
    private var slots: [Value?] = []
    private var free: [Int] = []

    /// Values inserted and not removed yet.
    private(set) var count = 0

    /// Stores `value` and returns its slot.
    mutating func insert(_ value: Value) -> Int {
        count += 1
        if let slot = free.popLast() {
            slots[slot] = value
            return slot
        }
        slots.append(value)
        return slots.count - 1
    }

    /// Takes the value out of `slot` and frees the slot; nil when the slot holds nothing.
    mutating func remove(_ slot: Int) -> Value? {
        guard slot >= 0, slot < slots.count, let value = slots[slot].take() else { return nil }
        free.append(slot)
        count -= 1
        return value
    }
}
