/// A PostgreSQL WAL position (`pg_lsn`): 64 bits, written `XXXXXXXX/XXXXXXXX` in hex.
///
/// Debezium stores LSNs in offsets and `source.lsn` as plain 64-bit numbers; the text form is what SQL and
/// `START_REPLICATION` take.
public struct LSN: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public init(_ value: UInt64) { self.rawValue = value }

    public static let zero = LSN(0)

    /// Parses `16/B374D848` (case-insensitive); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...8).contains(parts[0].count), (1...8).contains(parts[1].count),
            let hi = UInt32(parts[0], radix: 16), let lo = UInt32(parts[1], radix: 16)
        else { return nil }
        self.rawValue = UInt64(hi) << 32 | UInt64(lo)
    }

    public var description: String {
        String(rawValue >> 32, radix: 16, uppercase: true) + "/" + String(rawValue & 0xFFFF_FFFF, radix: 16, uppercase: true)
    }

    /// As Debezium's offsets hold it (a Java long).
    public var int64Value: Int64 { Int64(bitPattern: rawValue) }

    public static func < (a: LSN, b: LSN) -> Bool { a.rawValue < b.rawValue }
}
