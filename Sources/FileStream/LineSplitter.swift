/// Splits a growing byte stream into lines the way Kafka's `FileStreamSourceTask.extractLine` does, tracking the
/// byte position after each line so a restarted task resumes exactly after the last line it handed out.
///
/// Line ends are `\n`, `\r\n` and a lone `\r`. A trailing `\r` is held back until the next byte shows whether a `\n`
/// follows (otherwise one line would be counted twice). A partial last line stays buffered until its end arrives:
/// this is what makes the source behave like `tail -f` on a file that is still being written.
struct LineSplitter: Sendable {
    /// Bytes read but not yet returned as a line.
    private(set) var pending: [UInt8] = []
    /// Where `pending` starts in the stream.
    private var start = 0
    /// Byte position in the stream just after the last line returned (nil when positions are not tracked: stdin).
    private(set) var position: Int64?

    init(position: Int64?) {
        self.position = position
    }

    mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        compact()
        pending.append(contentsOf: bytes)
    }

    /// The next complete line (without its terminator) and the position after it, or nil when none is complete.
    mutating func nextLine() -> (line: String, position: Int64?)? {
        var i = start
        let end = pending.count
        while i < end {
            let b = pending[i]
            if b == 0x0A || b == 0x0D {
                var next = i + 1
                if b == 0x0D {
                    if next >= end { return nil }  // need the next byte to tell \r from \r\n
                    if pending[next] == 0x0A { next += 1 }
                }
                let line = String(decoding: pending[start..<i], as: UTF8.self)
                if let p = position { position = p + Int64(next - start) }
                start = next
                return (line, position)
            }
            i += 1
        }
        return nil
    }

    /// Bytes of an unfinished line currently buffered.
    var bufferedCount: Int { pending.count - start }

    private mutating func compact() {
        if start > 0 && (start == pending.count || start > 65_536) {
            pending.removeSubrange(0..<start)
            start = 0
        }
    }
}
