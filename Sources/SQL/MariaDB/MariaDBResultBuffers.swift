import CMariaDB
import SluiceAPI

/// Result buffers for `mysql_stmt_fetch`: numbers and temporals bound natively (exact doubles, microsecond
/// temporals), everything else as bytes that grow when a value does not fit.
final class MariaDBResultBuffers {
    enum Kind { case int, bool, float, double, decimal, text, bytes, json, date, datetime, time, null }

    let count: Int
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    let isNull: UnsafeMutablePointer<Int8>
    let lengths: UnsafeMutablePointer<UInt>
    let errors: UnsafeMutablePointer<Int8>
    var buffers: [UnsafeMutableRawPointer]
    var kinds: [Kind]
    var unsigned: [Bool]
    let columns: [SQLColumn]

    init(fields: UnsafeMutablePointer<MYSQL_FIELD>, count: Int) {
        self.count = count
        let n = max(1, count)
        binds = .allocate(capacity: n)
        binds.initialize(repeating: MYSQL_BIND(), count: n)
        isNull = .allocate(capacity: n)
        isNull.initialize(repeating: 0, count: n)
        lengths = .allocate(capacity: n)
        lengths.initialize(repeating: 0, count: n)
        errors = .allocate(capacity: n)
        errors.initialize(repeating: 0, count: n)
        buffers = []
        kinds = []
        unsigned = []
        var cols: [SQLColumn] = []
        for i in 0..<count {
            let f = fields[i]
            let kind = MariaDBResultBuffers.kind(f)
            let isUnsigned = f.flags & UInt32(UNSIGNED_FLAG) != 0
            kinds.append(kind)
            unsigned.append(isUnsigned)
            let size: Int
            switch kind {
            case .int, .bool, .float, .double: size = 8
            case .date, .datetime, .time: size = MemoryLayout<MYSQL_TIME>.stride
            default: size = 256
            }
            let buf = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
            buffers.append(buf)
            binds[i].buffer = buf
            binds[i].buffer_length = UInt(size)
            binds[i].is_null = isNull + i
            binds[i].length = lengths + i
            binds[i].error = errors + i
            binds[i].is_unsigned = isUnsigned ? 1 : 0
            switch kind {
            case .int, .bool: binds[i].buffer_type = MYSQL_TYPE_LONGLONG
            case .float: binds[i].buffer_type = MYSQL_TYPE_FLOAT
            case .double: binds[i].buffer_type = MYSQL_TYPE_DOUBLE
            case .date: binds[i].buffer_type = MYSQL_TYPE_DATE
            case .datetime: binds[i].buffer_type = MYSQL_TYPE_DATETIME
            case .time: binds[i].buffer_type = MYSQL_TYPE_TIME
            case .bytes: binds[i].buffer_type = MYSQL_TYPE_BLOB
            default: binds[i].buffer_type = MYSQL_TYPE_STRING
            }
            let isDecimal = f.type == MYSQL_TYPE_NEWDECIMAL || f.type == MYSQL_TYPE_DECIMAL
            let precision: Int? =
                isDecimal ? Int(f.length) - (f.decimals > 0 ? 1 : 0) - (isUnsigned ? 0 : 1) : Int(f.length)
            cols.append(
                SQLColumn(
                    name: String(cString: f.name), typeName: MariaDBResultBuffers.typeName(f), typeCode: Int(f.type.rawValue),
                    precision: precision, scale: Int(f.decimals), isNullable: f.flags & UInt32(NOT_NULL_FLAG) == 0))
        }
        columns = cols
    }

    deinit {
        buffers.forEach { $0.deallocate() }
        binds.deinitialize(count: max(1, count))
        binds.deallocate()
        isNull.deallocate()
        lengths.deallocate()
        errors.deallocate()
    }

    static func kind(_ f: MYSQL_FIELD) -> Kind {
        let binary = f.charsetnr == 63
        switch f.type {
        case MYSQL_TYPE_TINY where f.length == 1: return .bool  // TINYINT(1), JDBC's BIT/BOOLEAN convention
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_INT24, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_YEAR:
            return .int
        case MYSQL_TYPE_FLOAT: return .float
        case MYSQL_TYPE_DOUBLE: return .double
        case MYSQL_TYPE_NEWDECIMAL, MYSQL_TYPE_DECIMAL: return .decimal
        case MYSQL_TYPE_DATE, MYSQL_TYPE_NEWDATE: return .date
        case MYSQL_TYPE_DATETIME, MYSQL_TYPE_TIMESTAMP, MYSQL_TYPE_DATETIME2, MYSQL_TYPE_TIMESTAMP2: return .datetime
        case MYSQL_TYPE_TIME, MYSQL_TYPE_TIME2: return .time
        case MYSQL_TYPE_JSON: return .json
        case MYSQL_TYPE_NULL: return .null
        case MYSQL_TYPE_BIT, MYSQL_TYPE_GEOMETRY: return .bytes
        default: return binary ? .bytes : .text
        }
    }

    static func typeName(_ f: MYSQL_FIELD) -> String {
        let binary = f.charsetnr == 63
        switch f.type {
        case MYSQL_TYPE_TINY: return "tinyint"
        case MYSQL_TYPE_SHORT: return "smallint"
        case MYSQL_TYPE_INT24: return "mediumint"
        case MYSQL_TYPE_LONG: return "int"
        case MYSQL_TYPE_LONGLONG: return "bigint"
        case MYSQL_TYPE_YEAR: return "year"
        case MYSQL_TYPE_FLOAT: return "float"
        case MYSQL_TYPE_DOUBLE: return "double"
        case MYSQL_TYPE_NEWDECIMAL, MYSQL_TYPE_DECIMAL: return "decimal"
        case MYSQL_TYPE_DATE, MYSQL_TYPE_NEWDATE: return "date"
        case MYSQL_TYPE_DATETIME, MYSQL_TYPE_DATETIME2: return "datetime"
        case MYSQL_TYPE_TIMESTAMP, MYSQL_TYPE_TIMESTAMP2: return "timestamp"
        case MYSQL_TYPE_TIME, MYSQL_TYPE_TIME2: return "time"
        case MYSQL_TYPE_JSON: return "json"
        case MYSQL_TYPE_BIT: return "bit"
        case MYSQL_TYPE_GEOMETRY: return "geometry"
        case MYSQL_TYPE_VAR_STRING, MYSQL_TYPE_VARCHAR: return binary ? "varbinary" : "varchar"
        case MYSQL_TYPE_STRING:
            if f.flags & UInt32(ENUM_FLAG) != 0 { return "enum" }
            if f.flags & UInt32(SET_FLAG) != 0 { return "set" }
            return binary ? "binary" : "char"
        case MYSQL_TYPE_TINY_BLOB, MYSQL_TYPE_BLOB, MYSQL_TYPE_MEDIUM_BLOB, MYSQL_TYPE_LONG_BLOB:
            return binary ? "blob" : "text"
        default: return "type:\(f.type.rawValue)"
        }
    }

    /// Fetches values that did not fit their buffer, growing the buffer for the rows that follow.
    /// Returns true when result binding must be refreshed.
    func refetchTruncated(_ stmt: UnsafeMutablePointer<MYSQL_STMT>) throws -> Bool {
        var rebind = false
        for i in 0..<count where isNull[i] == 0 {
            switch kinds[i] {
            case .decimal, .text, .bytes, .json:
                let needed = Int(lengths[i])
                guard needed > Int(binds[i].buffer_length) else { continue }
                buffers[i].deallocate()
                let size = max(needed, Int(binds[i].buffer_length) * 2)
                buffers[i] = .allocate(byteCount: size, alignment: 16)
                binds[i].buffer = buffers[i]
                binds[i].buffer_length = UInt(size)
                if mysql_stmt_fetch_column(stmt, binds + i, UInt32(i), 0) != 0 {
                    throw SQLError(.decoding, "cannot fetch MariaDB column '\(columns[i].name)': "
                        + String(cString: mysql_stmt_error(stmt)))
                }
                rebind = true
            default: continue
            }
        }
        return rebind
    }

    func value(_ i: Int) -> SQLValue {
        if isNull[i] != 0 { return .null }
        let buf = buffers[i]
        switch kinds[i] {
        case .null: return .null
        case .bool: return .bool(buf.load(as: Int64.self) != 0)
        case .int:
            let v = buf.load(as: Int64.self)
            if unsigned[i] && v < 0 {  // BIGINT UNSIGNED above Int64.max
                return .decimal(ConnectDecimal(String(UInt64(bitPattern: v)))!)
            }
            return .int(v)
        case .float: return .float(buf.load(as: Float.self))
        case .double: return .double(buf.load(as: Double.self))
        case .decimal:
            let s = string(i)
            return ConnectDecimal(s).map(SQLValue.decimal) ?? .text(s)
        case .text: return .text(string(i))
        case .json: return .json(string(i))
        case .bytes: return .bytes(Array(UnsafeRawBufferPointer(start: buf, count: Int(lengths[i]))))
        case .date, .datetime, .time:
            let t = buf.load(as: MYSQL_TIME.self)
            let tod = ((Int64(t.hour) * 60 + Int64(t.minute)) * 60 + Int64(t.second)) * 1_000_000 + Int64(t.second_part)
            if kinds[i] == .time { return .time(t.neg != 0 ? -tod : tod) }
            if t.year == 0 && t.month == 0 && t.day == 0 { return .null }  // MySQL zero date
            let days = SQLTemporal.days(year: Int(t.year), month: Int(t.month), day: Int(t.day))
            if kinds[i] == .date { return .date(Int32(truncatingIfNeeded: days)) }
            return .timestamp(days * SQLTemporal.microsPerDay + tod)
        }
    }

    func string(_ i: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(start: buffers[i], count: Int(lengths[i])), as: UTF8.self)
    }

    func row() -> [SQLValue] { (0..<count).map(value) }
}
