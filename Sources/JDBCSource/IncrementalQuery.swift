import SQL

/// The SQL the source runs: `SELECT * FROM <table>` (or the user's query) plus the mode's WHERE/ORDER BY, exactly
/// as Confluent's `TimestampIncrementingCriteria` appends it, with every identifier quoted and every value a
/// placeholder.
struct IncrementalQuery: Sendable {
    let dialect: any SQLDialect
    let mode: JDBCSourceConfig.Mode
    let incrementingColumn: String?
    let timestampColumns: [String]

    /// `col` or `COALESCE(c1,c2,...)`.
    var timestampExpression: String {
        let q = timestampColumns.map { dialect.quote(identifier: $0) }
        return q.count == 1 ? q[0] : "COALESCE(\(q.joined(separator: ",")))"
    }

    /// The full statement for `base` (already quoted), with `suffix` appended.
    func sql(base: String, suffix: String) -> String {
        var n = 0
        func p() -> String { n += 1; return dialect.placeholder(n) }
        var sql = base
        switch mode {
        case .bulk:
            break
        case .incrementing:
            let inc = dialect.quote(identifier: incrementingColumn ?? "")
            sql += " WHERE \(inc) > \(p()) ORDER BY \(inc) ASC"
        case .timestamp:
            let ts = timestampExpression
            sql += " WHERE \(ts) > \(p()) AND \(ts) < \(p()) ORDER BY \(ts) ASC"
        case .timestampIncrementing:
            let ts = timestampExpression
            let inc = dialect.quote(identifier: incrementingColumn ?? "")
            sql += " WHERE \(ts) < \(p()) AND ((\(ts) = \(p()) AND \(inc) > \(p())) OR \(ts) > \(p())) ORDER BY \(ts),\(inc) ASC"
        }
        if !suffix.isEmpty { sql += " " + suffix }
        return sql
    }

    /// The parameters in placeholder order: (end) / (begin, end) / (end, begin, inc, begin); temporals already in
    /// the column's representation.
    func params(lastIncrementing: Int64, begin: SQLValue, end: SQLValue) -> [SQLValue] {
        switch mode {
        case .bulk: return []
        case .incrementing: return [.int(lastIncrementing)]
        case .timestamp: return [begin, end]
        case .timestampIncrementing: return [end, begin, .int(lastIncrementing), begin]
        }
    }
}
