import SQL
import SluiceAPI

/// How one result column becomes a Connect field: the Connect type it converts to.
enum ColumnConversion: Sendable, Hashable {
    case boolean, int8, int16, int32, int64, float32, float64, string, bytes, date, time
    case decimal(scale: Int32)
    /// `wallClock`: the column holds local time in `db.timezone` (TIMESTAMP/DATETIME without zone), shifted to UTC.
    case timestamp(wallClock: Bool)

    /// The Connect schema of this conversion.
    func schema(optional: Bool) -> Schema {
        switch self {
        case .boolean: return .primitive(.boolean, optional: optional)
        case .int8: return .primitive(.int8, optional: optional)
        case .int16: return .primitive(.int16, optional: optional)
        case .int32: return .primitive(.int32, optional: optional)
        case .int64: return .primitive(.int64, optional: optional)
        case .float32: return .primitive(.float32, optional: optional)
        case .float64: return .primitive(.float64, optional: optional)
        case .string: return .primitive(.string, optional: optional)
        case .bytes: return .primitive(.bytes, optional: optional)
        case .date: return Logical.date(optional: optional)
        case .time: return Logical.time(optional: optional)
        case .timestamp: return Logical.timestamp(optional: optional)
        case .decimal(let scale): return Logical.decimal(scale: scale, optional: optional)
        }
    }
}

/// The SQL → Connect type mapping of each dialect (the spec's table), with `numeric.mapping` applied to DECIMAL and
/// NUMERIC alike (the original ignored MySQL DECIMAL).
struct ColumnMapping: Sendable {
    let kind: JDBCURL.Kind
    let numericMapping: JDBCSourceConfig.NumericMapping

    /// The conversion for a column, or nil for a type with no Connect representation (the column is dropped).
    /// `unsigned` widens MySQL unsigned integers so their values fit.
    func conversion(typeName: String, precision: Int?, scale: Int?, unsigned: Bool = false) -> ColumnConversion? {
        let t = typeName.lowercased()
        switch kind {
        case .postgresql: return postgres(t, precision, scale)
        case .mysql: return mysql(t, precision, scale, unsigned)
        case .sqlite: return sqlite(t, precision, scale)
        }
    }

    func postgres(_ t: String, _ p: Int?, _ s: Int?) -> ColumnConversion? {
        switch t {
        case "bool": return .boolean
        case "int2": return .int16
        case "int4": return .int32
        case "int8", "oid": return .int64
        case "float4": return .float32
        case "float8": return .float64
        case "numeric": return numeric(p, s)
        case "bpchar", "varchar", "text", "name", "char", "json", "jsonb", "uuid", "xml", "enum": return .string
        case "bytea": return .bytes
        case "date": return .date
        case "time", "timetz": return .time
        case "timestamp": return .timestamp(wallClock: true)
        case "timestamptz": return .timestamp(wallClock: false)
        default: return nil  // interval, inet, ranges, arrays, money...: as the original, dropped with a warning
        }
    }

    func mysql(_ t: String, _ p: Int?, _ s: Int?, _ unsigned: Bool) -> ColumnConversion? {
        switch t {
        case "tinyint": return p == 1 ? .boolean : (unsigned ? .int16 : .int8)
        case "bool", "boolean": return .boolean
        case "smallint": return unsigned ? .int32 : .int16
        case "mediumint": return .int32
        case "int", "integer": return unsigned ? .int64 : .int32
        // Above Int64.max an unsigned BIGINT only fits a Decimal.
        case "bigint": return unsigned ? .decimal(scale: 0) : .int64
        case "year": return .int32
        case "float": return .float32
        case "double", "real": return .float64
        case "decimal", "numeric": return numeric(p, s)
        case "bit": return (p ?? 1) <= 1 ? .boolean : .bytes
        case "date": return .date
        case "time": return .time
        case "datetime": return .timestamp(wallClock: true)
        // TIMESTAMP is stored in UTC and the session time zone is UTC.
        case "timestamp": return .timestamp(wallClock: false)
        case "char", "varchar", "text", "tinytext", "mediumtext", "longtext", "enum", "set", "json", "uuid", "inet4",
            "inet6":
            return .string
        case "binary", "varbinary", "blob", "tinyblob", "mediumblob", "longblob": return .bytes
        default: return nil
        }
    }

    /// SQLite types by declared-type name, as its affinity rules read them. INTEGER is 64-bit and REAL is a double
    /// in SQLite, so they map to INT64 and FLOAT64; a column without a declared type can hold anything and maps to
    /// STRING.
    func sqlite(_ t: String, _ p: Int?, _ s: Int?) -> ColumnConversion? {
        if t.isEmpty { return .string }
        if t.contains("bool") { return .boolean }
        switch t {
        case "tinyint": return .int8
        case "smallint", "int2": return .int16
        case "int", "mediumint": return .int32
        case "date": return .date
        case "time": return .time
        case "datetime", "timestamp": return .timestamp(wallClock: true)
        default: break
        }
        if t.contains("int") { return .int64 }
        if t.contains("char") || t.contains("clob") || t.contains("text") || t.contains("json") { return .string }
        if t.contains("blob") { return .bytes }
        if t.contains("real") || t.contains("floa") || t.contains("doub") { return .float64 }
        if t.contains("numeric") || t.contains("decimal") { return numeric(p, s) }
        return nil
    }

    /// `numeric.mapping` for a DECIMAL/NUMERIC(p, s). A column without declared precision (PostgreSQL `numeric`,
    /// SQLite `NUMERIC`) has no fixed scale for a Decimal schema, so it maps to FLOAT64 in every mode.
    func numeric(_ precision: Int?, _ scale: Int?) -> ColumnConversion {
        guard let p = precision, p > 0 else { return .float64 }
        let s = scale ?? 0
        switch numericMapping {
        case .none:
            return .decimal(scale: Int32(s))
        case .precisionOnly:
            return s == 0 && p <= 18 ? integer(p) : .decimal(scale: Int32(s))
        case .bestFit:
            if p <= 18 { return s <= 0 ? integer(p) : .float64 }
            return .decimal(scale: Int32(s))
        case .bestFitEagerDouble:
            if s > 0 { return .float64 }
            return p <= 18 ? integer(p) : .decimal(scale: Int32(s))
        }
    }

    /// The narrowest integer holding `precision` decimal digits.
    func integer(_ precision: Int) -> ColumnConversion {
        if precision > 9 { return .int64 }
        if precision > 4 { return .int32 }
        if precision > 2 { return .int16 }
        return .int8
    }
}
