/// One parsed CSV record: the unescaped bytes of all fields back to back plus each field's end, reused between
/// records so the hot loop allocates nothing once warmed up.
public struct CSVRow: Sendable {
    public internal(set) var bytes: [UInt8] = []
    var ends: [Int] = []
    var quoted: [Bool] = []
    /// The 1-based physical line on which the record starts.
    public internal(set) var line = 0

    public init() {
        bytes.reserveCapacity(1024)
        ends.reserveCapacity(32)
        quoted.reserveCapacity(32)
    }

    public var count: Int { ends.count }

    mutating func reset(line: Int) {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        quoted.removeAll(keepingCapacity: true)
        self.line = line
    }

    @inline(__always) mutating func finishField(quoted q: Bool) {
        ends.append(bytes.count)
        quoted.append(q)
    }

    @inline(__always) public func range(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }

    /// Whether field `i` was enclosed in quotes.
    public func isQuoted(_ i: Int) -> Bool { quoted[i] }

    /// Whether field `i` is null under the given indicator (an empty field, quoted or not, as configured).
    public func isNull(_ i: Int, _ indicator: CSVOptions.NullFieldIndicator) -> Bool {
        guard range(i).isEmpty else { return false }
        switch indicator {
        case .neither: return false
        case .emptySeparators: return !quoted[i]
        case .emptyQuotes: return quoted[i]
        case .both: return true
        }
    }

    /// Field `i` decoded as UTF-8 (or Latin-1 when asked).
    public func string(_ i: Int, latin1: Bool = false) -> String {
        let r = range(i)
        return bytes.withUnsafeBufferPointer { buf in
            let slice = UnsafeBufferPointer(rebasing: buf[r])
            if latin1 { return String(decoding: slice.map { UInt16($0) }, as: UTF16.self) }
            return String(decoding: slice, as: UTF8.self)
        }
    }

    /// All fields as strings (header rows, tests).
    public func strings(latin1: Bool = false) -> [String] { (0..<count).map { string($0, latin1: latin1) } }

    /// Calls `body` with the bytes of field `i` without copying.
    @inline(__always)
    public func withField<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let r = range(i)
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[r])) }
    }
}
