import SQL
import SluiceAPI
import Testing

/// SQL text generation without a database: quoting, placeholders, upserts and the type table of the spec.
@Suite struct DialectTests {
    let pg = PostgresDialect()
    let my = MySQLDialect()
    let lite = SQLiteDialect()

    @Test func quotingDoublesTheQuoteCharacterPerPart() {
        #expect(pg.quote(identifier: "a\"b") == "\"a\"\"b\"")
        #expect(my.quote(identifier: "a`b") == "`a``b`")
        #expect(my.quote(identifier: "a\"b") == "`a\"b`")
        #expect(pg.quote(SQLTableName(schema: "s.x", "t")) == "\"s.x\".\"t\"")
        #expect(lite.quote(identifier: "x; DROP TABLE y; --") == "\"x; DROP TABLE y; --\"")
    }

    @Test func upsertStatements() {
        let t = SQLTableName("t")
        #expect(
            pg.upsert(into: t, columns: ["k", "c"], keyColumns: ["k"])
                == "INSERT INTO \"t\" (\"k\",\"c\") VALUES ($1,$2) ON CONFLICT (\"k\") DO UPDATE SET \"c\"=EXCLUDED.\"c\"")
        #expect(
            pg.upsert(into: t, columns: ["k"], keyColumns: ["k"])
                == "INSERT INTO \"t\" (\"k\") VALUES ($1) ON CONFLICT (\"k\") DO NOTHING")
        #expect(
            my.upsert(into: t, columns: ["k", "c"], keyColumns: ["k"], rowCount: 2)
                == "INSERT INTO `t` (`k`,`c`) VALUES (?,?),(?,?) ON DUPLICATE KEY UPDATE `c`=VALUES(`c`)")
        #expect(
            lite.upsert(into: t, columns: ["k", "c"], keyColumns: ["k"])
                == "INSERT INTO \"t\" (\"k\",\"c\") VALUES (?1,?2) ON CONFLICT (\"k\") DO UPDATE SET \"c\"=excluded.\"c\"")
    }

    @Test func updateDeleteCreateAlter() {
        let t = SQLTableName(schema: "s", "t")
        #expect(pg.update(table: t, columns: ["a", "b"], keyColumns: ["k1", "k2"])
            == "UPDATE \"s\".\"t\" SET \"a\"=$1,\"b\"=$2 WHERE \"k1\"=$3 AND \"k2\"=$4")
        #expect(my.delete(from: t, keyColumns: ["k"]) == "DELETE FROM `s`.`t` WHERE `k`=?")
        let cols = [
            SQLColumnDefinition(name: "id", sqlType: "BIGINT", isNullable: false, isPrimaryKey: true),
            SQLColumnDefinition(name: "v", sqlType: "TEXT", isNullable: true),
        ]
        #expect(pg.createTable(SQLTableName("t"), columns: cols)
            == "CREATE TABLE \"t\" (\n\"id\" BIGINT NOT NULL,\n\"v\" TEXT NULL,\nPRIMARY KEY(\"id\"))")
        #expect(lite.alterTableAdd(SQLTableName("t"), columns: [cols[1]]) == ["ALTER TABLE \"t\" ADD \"v\" TEXT NULL"])
    }

    @Test func connectToSQLTypeTable() {
        let schemas: [(Schema, String, String, String)] = [
            (.int8, "SMALLINT", "TINYINT", "INTEGER"), (.int16, "SMALLINT", "SMALLINT", "INTEGER"),
            (.int32, "INT", "INT", "INTEGER"), (.int64, "BIGINT", "BIGINT", "INTEGER"),
            (.float32, "REAL", "FLOAT", "REAL"), (.float64, "DOUBLE PRECISION", "DOUBLE", "REAL"),
            (.boolean, "BOOLEAN", "TINYINT", "INTEGER"), (.string, "TEXT", "TEXT", "TEXT"),
            (.bytes, "BYTEA", "VARBINARY(1024)", "BLOB"),
            (Logical.decimal(scale: 3), "DECIMAL", "DECIMAL(65,3)", "NUMERIC"),
            (Logical.date, "DATE", "DATE", "NUMERIC"), (Logical.time, "TIME", "TIME(3)", "NUMERIC"),
            (Logical.timestamp, "TIMESTAMP", "DATETIME(3)", "NUMERIC"),
        ]
        for (s, p, m, l) in schemas {
            #expect(pg.sqlType(for: s, isKey: false) == p, "\(s)")
            #expect(my.sqlType(for: s, isKey: false) == m, "\(s)")
            #expect(lite.sqlType(for: s, isKey: false) == l, "\(s)")
        }
        #expect(my.sqlType(for: .string, isKey: true) == "VARCHAR(256)")
        #expect(pg.sqlType(for: SchemaBuilder.struct().field("a", .int32).build(), isKey: false) == "JSONB")
    }

    @Test func temporalTextRoundTrips() {
        for days: Int32 in [-719_162, -1, 0, 19_782, 2_932_896] {
            #expect(SQLTemporal.parseDate(SQLTemporal.formatDate(days)[...]) == days)
        }
        for micros: Int64 in [-86_400_000_001, -1, 0, 1_709_210_096_123_456, 253_402_300_799_999_999] {
            #expect(SQLTemporal.parseTimestamp(SQLTemporal.formatTimestamp(micros)[...]) == micros)
        }
        #expect(SQLTemporal.parseTimestamp("2024-01-01 01:00:00+01"[...]) == 1_704_067_200_000_000)
        #expect(SQLTemporal.parseTimestamp("2024-01-01T00:00:00.5Z"[...]) == 1_704_067_200_500_000)
    }
}
