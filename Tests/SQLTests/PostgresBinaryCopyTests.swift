import Foundation
import SQL
import SluiceAPI
import TestSupport
import Testing

/// Binary COPY: the encoder's bytes checked by hand (no I/O), then round trips through a real PostgreSQL compared value
/// by value with the same rows sent as text COPY.
@Suite struct PostgresBinaryCopyTests {
    static func field(_ v: SQLValue, _ t: PostgresBinaryType) -> [UInt8]? {
        var out: [UInt8] = []
        return PostgresBinaryEncoder.append(v, as: t, into: &out) ? out : nil
    }

    /// A numeric field: length, then ndigits, weight, sign, dscale and the base-10000 digits as int16s.
    static func numeric(_ words: [Int16]) -> [UInt8] {
        var out: [UInt8] = []
        let len = UInt32(words.count * 2)
        out += [UInt8(len >> 24), UInt8(len >> 16 & 255), UInt8(len >> 8 & 255), UInt8(len & 255)]
        for w in words { out += [UInt8(UInt16(bitPattern: w) >> 8), UInt8(UInt16(bitPattern: w) & 255)] }
        return out
    }

    @Test func numericLayout() {
        func dec(_ unscaled: Int64, _ scale: Int32) -> SQLValue { .decimal(ConnectDecimal(unscaled: unscaled, scale: scale)) }
        // 123.45 = 123 | 4500 (weight 0), display scale 2.
        #expect(Self.field(dec(12345, 2), .numeric) == Self.numeric([2, 0, 0, 2, 123, 4500]))
        // 0.05 = 0500 at weight -1.
        #expect(Self.field(dec(5, 2), .numeric) == Self.numeric([1, -1, 0, 2, 500]))
        // -1500 (unscaled -15, scale -2): sign 0x4000, display scale 0.
        #expect(Self.field(dec(-15, -2), .numeric) == Self.numeric([1, 0, 0x4000, 0, 1500]))
        // Zero has no digits and is positive; trailing zero groups are left out: 10000.00 = 1 at weight 1.
        #expect(Self.field(dec(0, 2), .numeric) == Self.numeric([0, 0, 0, 2]))
        #expect(Self.field(dec(-0, 3), .numeric) == Self.numeric([0, 0, 0, 3]))
        #expect(Self.field(dec(1_000_000, 2), .numeric) == Self.numeric([1, 1, 0, 2, 1]))
        // Int64.min and a 30-digit decimal (the general path).
        #expect(Self.field(.int(Int64.min), .numeric)
            == Self.numeric([5, 4, 0x4000, 0, 922, 3372, 368, 5477, 5808]))
        #expect(Self.field(.decimal(ConnectDecimal("12345678901234567890.1234567890")!), .numeric)
            == Self.numeric([8, 4, 0, 10, 1234, 5678, 9012, 3456, 7890, 1234, 5678, 9000]))
        #expect(Self.field(.decimal(ConnectDecimal("-0.0000000001")!), .numeric) == Self.numeric([1, -3, 0x4000, 10, 100]))
    }

    @Test func fixedWidthLayoutsAndRefusals() {
        #expect(Self.field(.null, .int8) == [255, 255, 255, 255])
        #expect(Self.field(.int(-2), .int4) == [0, 0, 0, 4, 255, 255, 255, 254])
        #expect(Self.field(.int(258), .int2) == [0, 0, 0, 2, 1, 2])
        #expect(Self.field(.bool(true), .bool) == [0, 0, 0, 1, 1])
        // PostgreSQL's epochs are 2000-01-01: that instant is 0, a day before is -1.
        #expect(Self.field(.timestamp(946_684_800_000_000), .timestamp) == [0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(Self.field(.date(10_956), .date) == [0, 0, 0, 4, 255, 255, 255, 255])
        #expect(Self.field(.json("{}"), .jsonb) == [0, 0, 0, 3, 1, 123, 125])
        #expect(Self.field(.text("é"), .text) == [0, 0, 0, 2, 0xC3, 0xA9])
        // Values the column's binary form cannot hold exactly are refused (the caller copies as text instead).
        #expect(Self.field(.int(40_000), .int2) == nil)
        #expect(Self.field(.int(Int64(Int32.max) + 1), .int4) == nil)
        #expect(Self.field(.text("42"), .int8) == nil)
        #expect(Self.field(.double(1.5), .float4) == nil)
        #expect(Self.field(.timestamp(0), .date) == nil)
        #expect(PostgresBinaryType.forColumns(typeNames: ["int8", "uuid"]) == nil)
        #expect(PostgresBinaryType.forColumns(typeNames: ["int8", "varchar", "timestamptz"]) == [.int8, .text, .timestamptz])
    }

    static let columns = ["id", "b", "i2", "i4", "i8", "f4", "f8", "d", "d2", "t", "v", "c", "by", "dt", "tm", "ts", "tstz",
                          "j", "js"]
    static let ddl = """
        (id INT PRIMARY KEY, b BOOLEAN, i2 SMALLINT, i4 INT, i8 BIGINT, f4 REAL, f8 DOUBLE PRECISION, d NUMERIC(30,10), \
        d2 NUMERIC, t TEXT, v VARCHAR(50), c CHAR(3), by BYTEA, dt DATE, tm TIME, ts TIMESTAMP, tstz TIMESTAMPTZ, \
        j JSONB, js JSON)
        """

    static func rows() -> [[SQLValue]] {
        var rows: [[SQLValue]] = [
            [.int(1), .bool(true), .int(-32768), .int(2_147_483_647), .int(Int64.min), .float(1.5), .double(0.1 + 0.2),
             .decimal(ConnectDecimal("12345678901234567890.1234567890")!), .decimal(ConnectDecimal(unscaled: -15, scale: -2)),
             .text(Check.unicode), .text("it's \"quoted\""), .text("abc"), .bytes(Check.blob), .date(Check.leapDay),
             .time(Check.timeOfDay), .timestamp(Check.timestamp), .timestamp(Check.preEpochTimestamp),
             .json("{\"a\": [1, 2]}"), .json("{\"b\":null}")],
            [.int(2)] + Array(repeating: .null, count: columns.count - 1),
            [.int(3), .bool(false), .int(0), .int(-1), .int(Int64.max), .float(-Float.greatestFiniteMagnitude),
             .double(-1e-300), .decimal(ConnectDecimal("-0.0000000001")!), .decimal(ConnectDecimal(unscaled: 0, scale: 0)),
             .text(""), .text(" "), .text("x"), .bytes([]), .date(-1), .time(0), .timestamp(0), .timestamp(Check.timestamp),
             .json("[]"), .json("\"s\"")],
        ]
        for (i, s) in Check.hostileText.enumerated() {
            let id = Int64(10 + i)
            rows.append([.int(id), .bool(i % 2 == 0), .int(id), .int(-id), .int(id * 1_000_000_007),
                .float(Float(i) / 3), .double(Double(i) / 7), .decimal(ConnectDecimal(unscaled: id * 1_234_567 - 50_000, scale: 4)),
                .decimal(ConnectDecimal(unscaled: -id, scale: 6)), .text(s), .text(String(s.prefix(50))), .text("k\(i % 10)"),
                .bytes(Check.blob + Array(s.utf8)), .date(Check.leapDay - Int32(i)), .time(Check.timeOfDay + id),
                .timestamp(Check.timestamp + id), .timestamp(Check.preEpochTimestamp - id * 1_000_000_000),
                .json("{\"s\": " + jsonString(s) + "}"), .json("[" + jsonString(s) + "]")])
        }
        return rows
    }

    @Test func binaryCopyReadsBackLikeTextCopy() throws {
        let conn = try PostgresServer.shared().createDatabase(prefix: "pg_bincopy").connect()
        defer { conn.close() }
        let pg = try #require(conn as? PostgresConnection)
        try conn.execute("CREATE TABLE bin \(Self.ddl)")
        try conn.execute("CREATE TABLE txt \(Self.ddl)")
        let typeNames = try conn.dialect.columns(of: SQLTableName("bin"), on: conn).map(\.typeName)
        let types = try #require(PostgresBinaryType.forColumns(typeNames: typeNames))
        let rows = Self.rows()

        let stream = try pg.openCopy(into: SQLTableName("bin"), columns: Self.columns, binaryTypes: types)
        #expect(stream.isBinary)
        for r in rows { try stream.append(r) }
        #expect(try stream.finish() == rows.count)
        #expect(try pg.copyIn(into: SQLTableName("txt"), columns: Self.columns) { w in
            for r in rows { try w.appendFast(r) }
        } == rows.count)

        // Every value reads back as the text path stores it (CHAR(3) padded by the server in both).
        let bin = try conn.queryAll("SELECT * FROM bin ORDER BY id").rows
        let txt = try conn.queryAll("SELECT * FROM txt ORDER BY id").rows
        #expect(bin.count == rows.count)
        for (i, (b, t)) in zip(bin, txt).enumerated() {
            for c in Self.columns.indices { #expect(b[c] == t[c], "row \(i) column \(Self.columns[c])") }
        }
        try Check.rows(conn, "SELECT d, d2, ts, tstz FROM bin WHERE id = 1", [], [[
            .decimal(ConnectDecimal("12345678901234567890.1234567890")!), .decimal(ConnectDecimal(unscaled: -1500, scale: 0)),
            .timestamp(Check.timestamp), .timestamp(Check.preEpochTimestamp)]])
    }

    @Test func binaryCopyErrorsMatchTextCopy() throws {
        let conn = try PostgresServer.shared().createDatabase(prefix: "pg_binerr").connect()
        defer { conn.close() }
        let pg = try #require(conn as? PostgresConnection)
        try conn.execute("CREATE TABLE e (id INT PRIMARY KEY, v VARCHAR(3))")
        // The column's length limit and the primary key hold as for text input; nothing reaches the table.
        let tooLong = #expect(throws: SQLError.self) {
            try pg.copyIn(into: SQLTableName("e"), columns: ["id", "v"], binaryTypes: [.int4, .text]) { w in
                try w.appendFast([.int(1), .text("abcd")])
            }
        }
        #expect(tooLong?.sqlState == "22001")
        let duplicate = #expect(throws: SQLError.self) {
            try pg.copyIn(into: SQLTableName("e"), columns: ["id", "v"], binaryTypes: [.int4, .text]) { w in
                try w.appendFast([.int(1), .text("a")])
                try w.appendFast([.int(1), .text("b")])
            }
        }
        #expect(duplicate?.sqlState == "23505")
        // A value without a binary form for its column stops the COPY before the server sees it.
        let refused = #expect(throws: SQLError.self) {
            try pg.copyIn(into: SQLTableName("e"), columns: ["id", "v"], binaryTypes: [.int4, .text]) { w in
                try w.appendFast([.text("7"), .text("a")])
            }
        }
        #expect(refused?.code == .binaryUnsupported)
        #expect(refused?.message.contains("column 1") == true)
        #expect(try Check.count(conn, "e") == 0)
        #expect(conn.isAlive())
        // The connection still works for a good binary COPY.
        #expect(try pg.copyIn(into: SQLTableName("e"), columns: ["id", "v"], binaryTypes: [.int4, .text]) { w in
            try w.appendFast([.int(7), .text("abc")])
        } == 1)
        // `append` writes binary too when the COPY is binary.
        var appended = 0
        let copied = try pg.copyIn(into: SQLTableName("e"), columns: ["id", "v"], binaryTypes: [.int4, .text]) { w in
            try w.append([.int(8), .text("x")])
            appended = w.rowCount
        }
        #expect(copied == 1 && appended == 1)
        #expect(try conn.queryAll("SELECT id, v FROM e ORDER BY id").rows == [[.int(7), .text("abc")], [.int(8), .text("x")]])
    }
}
