/// PostgreSQL's wire timestamps: microseconds since 2000-01-01 00:00:00 UTC.
public enum PgTimestamp {
    /// Microseconds between the Unix epoch and the PostgreSQL epoch (2000-01-01).
    public static let unixOffsetMicros: Int64 = 946_684_800_000_000

    /// Wire microseconds → Unix epoch microseconds.
    public static func unixMicros(fromPg micros: Int64) -> Int64 { micros &+ unixOffsetMicros }

    /// Unix epoch microseconds → wire microseconds.
    public static func pgMicros(fromUnix micros: Int64) -> Int64 { micros &- unixOffsetMicros }
}
