import CSQLite
import SluiceAPI

/// One prepared `sqlite3_stmt`, bound with real SQLite types and decoded using the column's declared type.
final class SQLiteStatement {
    let stmt: OpaquePointer
    let sql: String

    init(stmt: OpaquePointer, sql: String) {
        self.stmt = stmt
        self.sql = sql
    }

    deinit { sqlite3_finalize(stmt) }

    /// SQLite's "copy this buffer now" destructor, a macro Swift cannot import.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds parameters 1...n; temporals become ISO text and decimals exact text.
    func bind(_ params: [SQLValue]) -> Int32 {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
        for (i, p) in params.enumerated() {
            let idx = Int32(i + 1)
            let rc: Int32
            switch p {
            case .null: rc = sqlite3_bind_null(stmt, idx)
            case .bool(let b): rc = sqlite3_bind_int64(stmt, idx, b ? 1 : 0)
            case .int(let v): rc = sqlite3_bind_int64(stmt, idx, v)
            case .float(let v): rc = sqlite3_bind_double(stmt, idx, Double(v))
            case .double(let v): rc = sqlite3_bind_double(stmt, idx, v)
            case .decimal(let d): rc = bindText(idx, d.description)
            case .text(let s), .json(let s): rc = bindText(idx, s)
            case .bytes(let b):
                rc = b.withUnsafeBytes { sqlite3_bind_blob64(stmt, idx, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), UInt64(b.count), Self.transient) }
            case .date(let d): rc = bindText(idx, SQLTemporal.formatDate(d))
            case .time(let t): rc = bindText(idx, SQLTemporal.formatTime(t))
            case .timestamp(let t): rc = bindText(idx, SQLTemporal.formatTimestamp(t))
            }
            if rc != SQLITE_OK { return rc }
        }
        return SQLITE_OK
    }

    func bindText(_ idx: Int32, _ s: String) -> Int32 {
        s.utf8CString.withUnsafeBufferPointer {
            sqlite3_bind_text64(stmt, idx, $0.baseAddress, UInt64($0.count - 1), Self.transient, UInt8(SQLITE_UTF8))
        }
    }

    lazy var columns: [SQLColumn] = (0..<sqlite3_column_count(stmt)).map { i in
        let decl = sqlite3_column_decltype(stmt, i).map { String(cString: $0) } ?? ""
        let (p, s) = SQLiteDialect.precisionScale(decl)
        return SQLColumn(
            name: String(cString: sqlite3_column_name(stmt, i)), typeName: SQLiteDialect.baseType(decl), typeCode: 0,
            precision: p, scale: s, isNullable: nil)
    }

    /// What a declared type asks values to be read back as (SQLite's own type affinity is too coarse for that).
    enum Kind { case plain, bool, decimal, date, time, timestamp, json }

    lazy var kinds: [Kind] = columns.map { c in
        let t = c.typeName
        if t.contains("bool") { return .bool }
        if t == "date" { return .date }
        if t.contains("timestamp") || t.contains("datetime") { return .timestamp }
        if t.hasPrefix("time") { return .time }
        if t.contains("json") { return .json }
        if t.contains("numeric") || t.contains("decimal") { return .decimal }
        return .plain
    }

    func value(_ i: Int32) -> SQLValue {
        let type = sqlite3_column_type(stmt, i)
        let kind = kinds[Int(i)]
        switch type {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER:
            let v = sqlite3_column_int64(stmt, i)
            switch kind {
            case .bool: return .bool(v != 0)
            case .decimal: return .decimal(ConnectDecimal(unscaled: v, scale: 0))
            // sqlite-jdbc stores java.sql dates as epoch milliseconds.
            case .date: return .date(Int32(truncatingIfNeeded: SQLTemporal.split(timestamp: v * 1000).days))
            case .time: return .time(v * 1000)
            case .timestamp: return .timestamp(v * 1000)
            default: return .int(v)
            }
        case SQLITE_FLOAT:
            let v = sqlite3_column_double(stmt, i)
            if kind == .decimal, v.isFinite, let d = ConnectDecimal(String(v)) { return .decimal(d) }
            return .double(v)
        case SQLITE_BLOB:
            let n = Int(sqlite3_column_bytes(stmt, i))
            guard n > 0, let p = sqlite3_column_blob(stmt, i) else { return .bytes([]) }
            return .bytes(Array(UnsafeRawBufferPointer(start: p, count: n)))
        default:
            let n = Int(sqlite3_column_bytes(stmt, i))
            let s = sqlite3_column_text(stmt, i).map { String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self) } ?? ""
            switch kind {
            case .date: return SQLTemporal.parseDate(s[...]).map(SQLValue.date) ?? .text(s)
            case .time: return SQLTemporal.parseTime(s[...]).map(SQLValue.time) ?? .text(s)
            case .timestamp: return SQLTemporal.parseTimestamp(s[...]).map(SQLValue.timestamp) ?? .text(s)
            case .decimal: return ConnectDecimal(s).map(SQLValue.decimal) ?? .text(s)
            case .json: return .json(s)
            default: return .text(s)
            }
        }
    }

    func row() -> [SQLValue] {
        let n = sqlite3_column_count(stmt)
        var out: [SQLValue] = []
        out.reserveCapacity(Int(n))
        for i in 0..<n { out.append(value(i)) }
        return out
    }
}
