import SQL
import Testing

@Suite struct JDBCURLTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var url: String
        var kind: JDBCURL.Kind
        var host: String
        var port: Int
        var database: String
        var user: String?
        var password: String?
        var properties: [String: String] = [:]
        var testDescription: String { url }
    }

    static let cases: [Case] = [
        Case(url: "jdbc:postgresql://db.example.com:6543/orders?user=app&password=s3cret&sslmode=require",
            kind: .postgresql, host: "db.example.com", port: 6543, database: "orders", user: "app", password: "s3cret",
            properties: ["sslmode": "require"]),
        Case(url: "jdbc:postgresql://localhost/db", kind: .postgresql, host: "localhost", port: 5432, database: "db"),
        Case(url: "jdbc:postgresql://[::1]:5433/x", kind: .postgresql, host: "::1", port: 5433, database: "x"),
        Case(url: "jdbc:mysql://mysql:3307/shop?user=root&useSSL=false", kind: .mysql, host: "mysql", port: 3307,
            database: "shop", user: "root", properties: ["useSSL": "false"]),
        Case(url: "jdbc:mariadb://10.0.0.5/inventory", kind: .mysql, host: "10.0.0.5", port: 3306, database: "inventory"),
        Case(url: "jdbc:mysql://u:p%40ss@h:1/d", kind: .mysql, host: "h", port: 1, database: "d", user: "u", password: "p%40ss"),
        Case(url: "jdbc:postgresql://h/d?password=a%26b", kind: .postgresql, host: "h", port: 5432, database: "d", password: "a&b"),
        Case(url: "jdbc:sqlite:/var/data/file.db", kind: .sqlite, host: "", port: 0, database: "/var/data/file.db"),
        Case(url: "jdbc:sqlite::memory:", kind: .sqlite, host: "", port: 0, database: ":memory:"),
        Case(url: "jdbc:sqlite:relative.db", kind: .sqlite, host: "", port: 0, database: "relative.db"),
    ]

    @Test(arguments: cases)
    func parses(_ c: Case) throws {
        let u = try JDBCURL(c.url)
        #expect(u.kind == c.kind)
        #expect(u.host == c.host)
        #expect(u.port == c.port)
        #expect(u.database == c.database)
        #expect(u.user == c.user)
        #expect(u.password == c.password)
        #expect(u.properties == c.properties)
    }

    @Test func connectionUserAndPasswordOverrideTheURL() throws {
        let u = try JDBCURL("jdbc:postgresql://h:1/d?user=a&password=b", user: "c", password: "d")
        #expect(u.user == "c")
        #expect(u.password == "d")
        #expect(!u.description.contains("d?"))
    }

    @Test(arguments: ["jdbc:oracle:thin:@host:1521:orcl", "postgresql://h/d", "jdbc:sqlserver://h;db=x", ""])
    func unsupportedURLsAreNamedInTheError(_ url: String) {
        do {
            _ = try JDBCURL(url)
            Issue.record("expected \(url) to be rejected")
        } catch {
            #expect(error.code == .invalidURL)
            #expect(error.message.contains("'\(url)'"))
            #expect(error.message.contains("not supported"))
        }
    }

    @Test func invalidPortAndPasswordRedaction() {
        #expect(throws: SQLError.self) { try JDBCURL("jdbc:mysql://h:99999/d") }
        do {
            _ = try JDBCURL("jdbc:db2://h/d?user=u&password=topsecret")
        } catch {
            #expect(!error.message.contains("topsecret"))
        }
    }

    @Test func tableNamesSplitOnUnquotedDots() {
        #expect(SQLTableName(parsing: "public.orders") == SQLTableName(schema: "public", "orders"))
        #expect(SQLTableName(parsing: "orders") == SQLTableName("orders"))
        #expect(SQLTableName(parsing: "\"my.schema\".\"t\"\"x\"") == SQLTableName(schema: "my.schema", "t\"x"))
        #expect(SQLTableName(parsing: "`a.b`") == SQLTableName("a.b"))
    }
}
