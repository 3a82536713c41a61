import SluiceAPI

/// The committed position in a table, in Confluent's offset format so offsets written by the original connector
/// resume here: `{"incrementing":n,"timestamp":epochMs,"timestamp_nanos":nanosOfSecond}` (only the keys of the mode).
struct SourceOffset: Sendable, Hashable {
    var incrementing: Int64?
    /// UTC epoch microseconds (the databases' precision); written as milliseconds plus nanos-of-second.
    var timestampMicros: Int64?

    init(incrementing: Int64? = nil, timestampMicros: Int64? = nil) {
        self.incrementing = incrementing
        self.timestampMicros = timestampMicros
    }

    /// Reads a stored offset; keys that are absent stay nil.
    init(json: [String: JSONValue]) {
        incrementing = json["incrementing"]?.int64Value
        if let ms = json["timestamp"]?.int64Value {
            if let nanos = json["timestamp_nanos"]?.int64Value {
                timestampMicros = floorDiv(ms, 1000) * 1_000_000 + nanos / 1000
            } else {
                timestampMicros = ms * 1000
            }
        }
    }

    func json(_ mode: JDBCSourceConfig.Mode) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        if mode.usesIncrementing, let incrementing { out["incrementing"] = .int(incrementing) }
        if mode.usesTimestamp, let t = timestampMicros {
            out["timestamp"] = .int(floorDiv(t, 1000))
            out["timestamp_nanos"] = .int((t - floorDiv(t, 1_000_000) * 1_000_000) * 1000)
        }
        return out
    }
}
