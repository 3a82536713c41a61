import CMariaDB

/// `MYSQL_BIND` parameter buffers for one execution: each value keeps its real type (LONGLONG, DOUBLE, MYSQL_TIME,
/// BLOB...), so nothing is ever formatted into the SQL text. Freed after the execute call returns.
final class MariaDBParams {
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    let count: Int
    var allocations: [UnsafeMutableRawPointer] = []

    init(_ params: [SQLValue]) {
        count = params.count
        binds = .allocate(capacity: max(1, count))
        binds.initialize(repeating: MYSQL_BIND(), count: max(1, count))
        for (i, p) in params.enumerated() { set(i, p) }
    }

    deinit {
        allocations.forEach { $0.deallocate() }
        binds.deinitialize(count: max(1, count))
        binds.deallocate()
    }

    func store<T>(_ value: T) -> UnsafeMutableRawPointer {
        let p = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<T>.size, alignment: MemoryLayout<T>.alignment)
        p.storeBytes(of: value, as: T.self)
        allocations.append(p)
        return p
    }

    func storeBytes(_ bytes: UnsafeRawBufferPointer) -> UnsafeMutableRawPointer {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes.count), alignment: 1)
        if let base = bytes.baseAddress, bytes.count > 0 { p.copyMemory(from: base, byteCount: bytes.count) }
        allocations.append(p)
        return p
    }

    func setBytes(_ i: Int, _ type: enum_field_types, _ bytes: UnsafeRawBufferPointer) {
        binds[i].buffer_type = type
        binds[i].buffer = storeBytes(bytes)
        binds[i].buffer_length = UInt(bytes.count)
    }

    func setText(_ i: Int, _ s: String) {
        var s = s
        s.withUTF8 { setBytes(i, MYSQL_TYPE_STRING, UnsafeRawBufferPointer($0)) }
    }

    func set(_ i: Int, _ v: SQLValue) {
        switch v {
        case .null: binds[i].buffer_type = MYSQL_TYPE_NULL
        case .bool(let b):
            binds[i].buffer_type = MYSQL_TYPE_TINY
            binds[i].buffer = store(Int8(b ? 1 : 0))
        case .int(let n):
            binds[i].buffer_type = MYSQL_TYPE_LONGLONG
            binds[i].buffer = store(n)
        case .float(let f):
            binds[i].buffer_type = MYSQL_TYPE_FLOAT
            binds[i].buffer = store(f)
        case .double(let d):
            binds[i].buffer_type = MYSQL_TYPE_DOUBLE
            binds[i].buffer = store(d)
        // Decimal text is converted exactly by the server (a double would round).
        case .decimal(let d): setText(i, d.description)
        case .text(let s), .json(let s): setText(i, s)
        case .bytes(let b): b.withUnsafeBytes { setBytes(i, MYSQL_TYPE_BLOB, $0) }
        case .date(let d):
            let c = SQLTemporal.civil(days: Int64(d))
            var t = MYSQL_TIME()
            t.year = UInt32(clamping: c.year)
            t.month = UInt32(c.month)
            t.day = UInt32(c.day)
            t.time_type = MYSQL_TIMESTAMP_DATE
            binds[i].buffer_type = MYSQL_TYPE_DATE
            binds[i].buffer = store(t)
        case .time(let micros):
            var t = MYSQL_TIME()
            let m = abs(micros)
            t.neg = micros < 0 ? 1 : 0
            t.hour = UInt32(m / 3_600_000_000)
            t.minute = UInt32(m / 60_000_000 % 60)
            t.second = UInt32(m / 1_000_000 % 60)
            t.second_part = UInt(m % 1_000_000)
            t.time_type = MYSQL_TIMESTAMP_TIME
            binds[i].buffer_type = MYSQL_TYPE_TIME
            binds[i].buffer = store(t)
        case .timestamp(let micros):
            let (days, tod) = SQLTemporal.split(timestamp: micros)
            let c = SQLTemporal.civil(days: days)
            var t = MYSQL_TIME()
            t.year = UInt32(clamping: c.year)
            t.month = UInt32(c.month)
            t.day = UInt32(c.day)
            t.hour = UInt32(tod / 3_600_000_000)
            t.minute = UInt32(tod / 60_000_000 % 60)
            t.second = UInt32(tod / 1_000_000 % 60)
            t.second_part = UInt(tod % 1_000_000)
            t.time_type = MYSQL_TIMESTAMP_DATETIME
            binds[i].buffer_type = MYSQL_TYPE_DATETIME
            binds[i].buffer = store(t)
        }
    }
}
