import Foundation
import JDBCSource
import SQL
import SluiceAPI
import Testing

/// Every column type of the `sql/fixtures` all-types tables → the expected Connect schema and value, and
/// `numeric.mapping` over NUMERIC and (MySQL) DECIMAL.
@Suite struct SourceTypeTests {
    /// Epoch milliseconds of a UTC date-time.
    func ms(_ y: Int, _ mo: Int, _ d: Int, _ h: Int64 = 0, _ mi: Int64 = 0, _ s: Int64 = 0, _ milli: Int64 = 0) -> Int64 {
        SQLTemporal.days(year: y, month: mo, day: d) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 + milli
    }
    func day(_ y: Int, _ mo: Int, _ d: Int) -> Value { .int32(Int32(SQLTemporal.days(year: y, month: mo, day: d))) }
    func timeOfDay(_ h: Int64, _ mi: Int64, _ s: Int64, _ milli: Int64 = 0) -> Value { .int32(Int32(((h * 60 + mi) * 60 + s) * 1000 + milli)) }
    func dec(_ s: String) -> Value { .decimal(ConnectDecimal(s)!) }

    /// Loads the fixture and reads `all_types` in bulk mode; records sorted by id.
    func read(_ db: SourceDB, fixture: String, extra: [String: String] = [:]) throws -> [SourceRecord] {
        let (url, keep) = try db.create("types")
        defer { _ = keep }
        let c = try Database.connect(url, attempts: 1, backoffMs: 0)
        defer { c.close() }
        try runScript(repoSQLDirectory() + "/fixtures/" + fixture, on: c)
        let run = try SourceRun(sourceProps(url, mode: "bulk", tables: ["all_types"], extra: extra))
        defer { run.stop() }
        return try run.task.poll().sorted { ($0.id ?? 0) < ($1.id ?? 0) }
    }

    /// Checks one column: schema type, logical name, optionality and the first row's value; the NULL row is null.
    func check(
        _ records: [SourceRecord], _ column: String, _ type: SchemaType, _ logical: String? = nil, _ value: Value,
        optional: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let schema = records.first?.valueSchema?.field(column)?.schema else {
            Issue.record("no field \(column)", sourceLocation: sourceLocation)
            return
        }
        #expect(schema.type == type, "\(column)", sourceLocation: sourceLocation)
        #expect(schema.name == logical, "\(column)", sourceLocation: sourceLocation)
        #expect(schema.isOptional == optional, "\(column)", sourceLocation: sourceLocation)
        #expect(records[0][column] == value, "\(column)", sourceLocation: sourceLocation)
        if optional { #expect(records[2][column] == .null, "\(column) in the NULL row", sourceLocation: sourceLocation) }
    }

    @Test func postgresTypes() throws {
        let r = try read(.postgres, fixture: "all_types_postgres.sql")
        #expect(r.count == 3)
        #expect(r[0].valueSchema?.name == "all_types")
        check(r, "id", .int32, nil, .int32(1), optional: false)
        check(r, "c_bool", .boolean, nil, .boolean(true))
        check(r, "c_int2", .int16, nil, .int16(12345))
        check(r, "c_int4", .int32, nil, .int32(1_234_567_890))
        check(r, "c_int8", .int64, nil, .int64(1_234_567_890_123_456_789))
        check(r, "c_float4", .float32, nil, .float32(3.5))
        check(r, "c_float8", .float64, nil, .float64(2.718281828459045))
        check(r, "c_numeric", .bytes, Logical.decimalName, dec("12345.678"))
        check(r, "c_numeric_var", .float64, nil, .float64(3.141592653589793))
        check(r, "c_char", .string, nil, .string("abc  "))
        check(r, "c_varchar", .string, nil, .string("varchar value"))
        check(r, "c_text", .string, nil, .string("text value"))
        check(r, "c_bytea", .bytes, nil, .bytes([0xDE, 0xAD, 0xBE, 0xEF]))
        check(r, "c_date", .int32, Logical.dateName, day(2024, 2, 29))
        check(r, "c_time0", .int32, Logical.timeName, timeOfDay(13, 14, 15))
        check(r, "c_time3", .int32, Logical.timeName, timeOfDay(13, 14, 15, 123))
        check(r, "c_timetz", .int32, Logical.timeName, timeOfDay(13, 14, 15))
        check(r, "c_timestamp3", .int64, Logical.timestampName, .int64(ms(2024, 2, 29, 13, 14, 15, 123)))
        check(r, "c_timestamp6", .int64, Logical.timestampName, .int64(ms(2024, 2, 29, 13, 14, 15, 123)))
        check(r, "c_timestamptz", .int64, Logical.timestampName, .int64(ms(2024, 2, 29, 11, 14, 15, 123)))
        check(r, "c_uuid", .string, nil, .string("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
        check(r, "c_json", .string, nil, .string(#"{"a": 1, "b": [true, null]}"#))
        check(r, "c_jsonb", .string, nil, .string(#"{"a": 1, "b": [true, null]}"#))
        check(r, "c_xml", .string, nil, .string("<note><to>Sluice</to></note>"))
        check(r, "c_domain", .int32, nil, .int32(42))
        // Edge row: pre-1970 and year-1 timestamps, negative numbers.
        #expect(r[1]["c_timestamp3"] == .int64(ms(1969, 12, 31, 23, 59, 59, 999)))
        #expect(r[1]["c_timestamp"] == .int64(ms(1, 1, 1)))
        #expect(r[1]["c_numeric"] == dec("-999999999.999"))
        // Types without a Connect representation are left out (as the original does).
        let names = Set(r[0].valueSchema?.fields.map(\.name) ?? [])
        for dropped in ["c_inet", "c_cidr", "c_int4range", "c_interval", "c_int4_array", "c_text_array"] {
            #expect(!names.contains(dropped), "\(dropped)")
        }
    }

    @Test func postgresTimestampsInDBTimeZone() throws {
        let r = try read(.postgres, fixture: "all_types_postgres.sql", extra: ["db.timezone": "Europe/Berlin"])
        // A TIMESTAMP without zone is Berlin wall-clock time (UTC+1 in February); timestamptz is unaffected.
        check(r, "c_timestamp3", .int64, Logical.timestampName, .int64(ms(2024, 2, 29, 12, 14, 15, 123)))
        check(r, "c_timestamptz", .int64, Logical.timestampName, .int64(ms(2024, 2, 29, 11, 14, 15, 123)))
    }

    @Test func mariadbTypes() throws {
        let r = try read(.mariadb, fixture: "all_types_mariadb.sql")
        #expect(r.count == 3)
        check(r, "id", .int32, nil, .int32(1), optional: false)
        check(r, "c_bool", .boolean, nil, .boolean(true))
        check(r, "c_bit1", .boolean, nil, .boolean(true))
        check(r, "c_bit8", .bytes, nil, .bytes([0xA5]))
        check(r, "c_tinyint", .int8, nil, .int8(100))
        check(r, "c_tinyint_u", .int16, nil, .int16(200))
        check(r, "c_smallint", .int16, nil, .int16(12345))
        check(r, "c_smallint_u", .int32, nil, .int32(54321))
        check(r, "c_mediumint", .int32, nil, .int32(1_234_567))
        check(r, "c_int", .int32, nil, .int32(1_234_567_890))
        check(r, "c_int_u", .int64, nil, .int64(3_000_000_000))
        check(r, "c_bigint", .int64, nil, .int64(1_234_567_890_123_456_789))
        check(r, "c_bigint_u", .bytes, Logical.decimalName, dec("12345678901234567890"))
        #expect(r[1]["c_bigint_u"] == dec("18446744073709551615"))
        check(r, "c_float", .float32, nil, .float32(3.5))
        check(r, "c_double", .float64, nil, .float64(2.718281828459045))
        check(r, "c_decimal", .bytes, Logical.decimalName, dec("12345.678"))
        check(r, "c_decimal_wide", .bytes, Logical.decimalName, dec("12345678901234567890.123456789012345678901234567890"))
        check(r, "c_char", .string, nil, .string("abc"))
        check(r, "c_varchar", .string, nil, .string("varchar value"))
        check(r, "c_text", .string, nil, .string("text value"))
        check(r, "c_longtext", .string, nil, .string("long"))
        check(r, "c_binary", .bytes, nil, .bytes([0xDE, 0xAD, 0xBE, 0xEF]))
        check(r, "c_blob", .bytes, nil, .bytes([0xCA, 0xFE, 0xBA, 0xBE]))
        check(r, "c_date", .int32, Logical.dateName, day(2024, 2, 29))
        check(r, "c_time", .int32, Logical.timeName, timeOfDay(13, 14, 15))
        check(r, "c_time3", .int32, Logical.timeName, timeOfDay(13, 14, 15, 123))
        check(r, "c_datetime", .int64, Logical.timestampName, .int64(ms(2024, 2, 29, 13, 14, 15)))
        check(r, "c_datetime6", .int64, Logical.timestampName, .int64(ms(2024, 2, 29, 13, 14, 15, 123)))
        check(r, "c_timestamp3", .int64, Logical.timestampName, .int64(ms(2024, 2, 29, 13, 14, 15, 123)))
        check(r, "c_year", .int32, nil, .int32(2024))
        check(r, "c_enum", .string, nil, .string("happy"))
        check(r, "c_set", .string, nil, .string("a,c"))
        check(r, "c_json", .string, nil, .string(#"{"a": 1, "b": [true, null]}"#))
        check(r, "c_uuid", .string, nil, .string("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
        check(r, "c_inet4", .string, nil, .string("192.168.1.10"))
    }

    @Test func sqliteTypes() throws {
        let r = try read(.sqlite, fixture: "all_types_sqlite.sql")
        #expect(r.count == 3)
        check(r, "id", .int64, nil, .int64(1), optional: false)
        check(r, "c_boolean", .boolean, nil, .boolean(true))
        check(r, "c_tinyint", .int8, nil, .int8(100))
        check(r, "c_smallint", .int16, nil, .int16(12345))
        check(r, "c_int", .int32, nil, .int32(1_234_567_890))
        check(r, "c_integer", .int64, nil, .int64(1_234_567_890))
        #expect(r[1]["c_integer"] == .int64(Int64.max))
        check(r, "c_bigint", .int64, nil, .int64(1_234_567_890_123_456_789))
        check(r, "c_real", .float64, nil, .float64(3.5))
        check(r, "c_float", .float64, nil, .float64(1.25))
        check(r, "c_double", .float64, nil, .float64(2.718281828459045))
        check(r, "c_numeric", .float64, nil, .float64(12345.678))
        check(r, "c_decimal", .bytes, Logical.decimalName, dec("12345.678"))
        check(r, "c_char", .string, nil, .string("abc"))
        check(r, "c_clob", .string, nil, .string("clob value"))
        check(r, "c_blob", .bytes, nil, .bytes([0xDE, 0xAD, 0xBE, 0xEF]))
        check(r, "c_date", .int32, Logical.dateName, day(2024, 2, 29))
        check(r, "c_time", .int32, Logical.timeName, timeOfDay(13, 14, 15, 123))
        check(r, "c_datetime", .int64, Logical.timestampName, .int64(ms(2024, 2, 29, 13, 14, 15)))
        check(r, "c_timestamp", .int64, Logical.timestampName, .int64(ms(2024, 2, 29, 13, 14, 15, 123)))
        check(r, "c_untyped", .string, nil, .string("anything"))
        #expect(r[1]["c_untyped"] == .string("42"))
    }

    /// `numeric.mapping` applies to DECIMAL as much as NUMERIC (the original ignores MySQL DECIMAL).
    @Test(arguments: SourceDB.allCases)
    func numericMappings(_ db: SourceDB) throws {
        let (url, keep) = try db.create("numeric")
        defer { _ = keep }
        let c = try Database.connect(url, attempts: 1, backoffMs: 0)
        defer { c.close() }
        try c.execute("CREATE TABLE nums (id INT NOT NULL, d_int DECIMAL(5,0), d_big NUMERIC(18,0), d_frac DECIMAL(10,2), d_wide DECIMAL(30,4), d_wide0 NUMERIC(25,0))")
        try c.execute(c.dialect.insert(into: SQLTableName("nums"), columns: ["id", "d_int", "d_big", "d_frac", "d_wide", "d_wide0"]),
            [.int(1), .decimal(ConnectDecimal("12345")!), .decimal(ConnectDecimal("123456789012345678")!),
             .decimal(ConnectDecimal("12.50")!), .decimal(ConnectDecimal("1.2345")!), .decimal(ConnectDecimal("7")!)])
        func record(_ mapping: String) throws -> SourceRecord {
            let run = try SourceRun(sourceProps(url, mode: "bulk", tables: ["nums"], extra: ["numeric.mapping": mapping]))
            defer { run.stop() }
            return try #require(try run.task.poll().first)
        }
        let none = try record("none")
        #expect(none["d_int"] == dec("12345"))
        #expect(none["d_frac"] == dec("12.50"))
        let precision = try record("precision_only")
        #expect(precision["d_int"] == .int32(12345))
        #expect(precision["d_big"] == .int64(123_456_789_012_345_678))
        #expect(precision["d_frac"] == dec("12.50"))
        let best = try record("best_fit")
        #expect(best["d_int"] == .int32(12345))
        #expect(best["d_frac"] == .float64(12.5))
        #expect(best["d_wide"] == dec("1.2345"))
        #expect(best["d_wide0"] == dec("7"))
        let eager = try record("best_fit_eager_double")
        #expect(eager["d_frac"] == .float64(12.5))
        #expect(eager["d_wide"] == .float64(1.2345))
        #expect(eager["d_wide0"] == dec("7"))
    }
}
