import Foundation
import JDBCSource
import SQL
import SluiceAPI
import TestSupport
import Testing

/// Table discovery, task splitting, reconfiguration on table create/drop, and config validation.
@Suite struct SourceConnectorTests {
    func tables(of config: [String: String]) throws -> [[String: JSONValue]] {
        try JSONReader.parse(config["tables"] ?? "[]").arrayValue?.compactMap { $0.objectValue?.dictionary } ?? []
    }

    @Test func tablesAreSplitIntoContiguousGroupsAndSameNamesGetTheSchemaInTheirTopic() throws {
        let tdb = try PostgresServer.shared().createDatabase(prefix: "disc")
        let c = try tdb.connect()
        defer { c.close() }
        try c.execute("CREATE SCHEMA sales; CREATE SCHEMA hr")
        for t in ["public.a", "public.b", "public.c", "sales.people", "hr.people"] {
            try c.execute("CREATE TABLE \(t) (id SERIAL PRIMARY KEY)")
        }
        try c.execute("CREATE VIEW public.v AS SELECT 1 AS x")
        let connector = JdbcSourceConnector()
        connector.initialize(context: ConnectorTestContext())
        try connector.start(["connection.url": tdb.url, "mode": "bulk", "topic.prefix": "p.", "table.poll.interval.ms": "0"])
        defer { connector.stop() }
        let configs = try connector.taskConfigs(maxTasks: 2)
        #expect(configs.count == 2)
        let groups = try configs.map { try tables(of: $0).map { $0["topic"]?.stringValue ?? "" } }
        #expect(groups == [["p.hr.people", "p.a", "p.b"], ["p.c", "p.sales.people"]])
        // More tasks than tables: one table each.
        #expect(try connector.taskConfigs(maxTasks: 10).count == 5)
    }

    @Test func whitelistBlacklistAndRegexListsSelectTables() throws {
        let tdb = try PostgresServer.shared().createDatabase(prefix: "filters")
        let c = try tdb.connect()
        defer { c.close() }
        for t in ["orders", "order_items", "customers", "audit_log"] { try c.execute("CREATE TABLE \(t) (id INT)") }
        func selected(_ extra: [String: String]) throws -> [String] {
            let connector = JdbcSourceConnector()
            var p = ["connection.url": tdb.url, "mode": "bulk", "table.poll.interval.ms": "0"]
            for (k, v) in extra { p[k] = v }
            try connector.start(p)
            defer { connector.stop() }
            return try connector.taskConfigs(maxTasks: 1).flatMap { try tables(of: $0).map { $0["name"]?.stringValue ?? "" } }
        }
        #expect(try selected(["table.whitelist": "orders, \"public\".\"customers\""]) == ["customers", "orders"])
        #expect(try selected(["table.blacklist": "audit_log,public.orders"]) == ["customers", "order_items"])
        #expect(try selected(["table.include.list": "public\\.order.*"]) == ["order_items", "orders"])
        #expect(try selected(["table.exclude.list": ".*_log,customers"]) == ["order_items", "orders"])
    }

    @Test(arguments: [SourceDB.sqlite, SourceDB.postgres])
    func createdAndDroppedTablesRequestTaskReconfiguration(_ db: SourceDB) throws {
        let (url, keep) = try db.create("monitor")
        defer { _ = keep }
        let c = try Database.connect(url, attempts: 1, backoffMs: 0)
        defer { c.close() }
        try c.execute(db.createItems("first"))
        let context = ConnectorTestContext()
        let connector = JdbcSourceConnector()
        connector.initialize(context: context)
        try connector.start(["connection.url": url, "mode": "bulk", "table.poll.interval.ms": "100"])
        defer { connector.stop() }
        #expect(try connector.taskConfigs(maxTasks: 4).count == 1)

        func waitForRequests(_ n: Int) -> Bool {
            for _ in 0..<100 {
                if context.reconfigurations >= n { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
        Thread.sleep(forTimeInterval: 0.3)
        #expect(context.reconfigurations == 0)  // nothing changed yet
        try c.execute(db.createItems("second"))
        #expect(waitForRequests(1))
        #expect(try connector.taskConfigs(maxTasks: 4).count == 2)
        try c.execute("DROP TABLE first")
        #expect(waitForRequests(2))
        let left = try connector.taskConfigs(maxTasks: 4)
        #expect(left.count == 1)
        #expect(try tables(of: left[0]).map { $0["name"]?.stringValue } == ["second"])
    }

    func errors(_ results: [ConfigValueInfo], _ key: String) -> [String] {
        results.first(where: { $0.name == key })?.errors ?? []
    }

    @Test func validationNamesTheKey() throws {
        let dir = try TemporaryDirectory(prefix: "source-validate")
        let url = "jdbc:sqlite:" + dir.file("db.sqlite")
        let c = try Database.connect(url, attempts: 1, backoffMs: 0)
        defer { c.close() }
        try c.execute("CREATE TABLE plain (code TEXT NOT NULL, seq INT, changed TIMESTAMP)")
        let connector = JdbcSourceConnector()
        let base = ["connection.url": url, "table.poll.interval.ms": "0"]
        func validate(_ extra: [String: String]) -> [ConfigValueInfo] {
            var p = base
            for (k, v) in extra { p[k] = v }
            return connector.validate(p)
        }
        #expect(!errors(validate([:]), "mode").isEmpty)  // no mode
        #expect(errors(validate(["mode": "sometimes"]), "mode").first?.contains("sometimes") == true)
        #expect(!errors(validate(["mode": "bulk", "query": "SELECT 1", "table.whitelist": "plain"]), "query").isEmpty)
        #expect(!errors(validate(["mode": "timestamp"]), "timestamp.column.name").isEmpty)
        // Nothing to auto-detect in `plain`.
        #expect(errors(validate(["mode": "incrementing"]), "incrementing.column.name").first?.contains("plain") == true)
        #expect(errors(validate(["mode": "incrementing", "incrementing.column.name": "nope"]), "incrementing.column.name")
            .first?.contains("nope") == true)
        #expect(!errors(validate(["mode": "incrementing", "incrementing.column.name": "seq"]), "incrementing.column.name").isEmpty)  // nullable
        #expect(errors(validate(["mode": "incrementing", "incrementing.column.name": "seq", "validate.non.null": "false"]),
            "incrementing.column.name").isEmpty)
        #expect(!errors(validate(["mode": "timestamp", "timestamp.column.name": "missing"]), "timestamp.column.name").isEmpty)
        #expect(!errors(validate(["mode": "bulk", "query": "SELECT * FROM nowhere"]), "query").isEmpty)
        #expect(!errors(validate(["mode": "bulk", "connection.url": "jdbc:oracle:thin:@x"]), "connection.url").isEmpty)
        let ok = validate(["mode": "timestamp", "timestamp.column.name": "changed", "validate.non.null": "false"])
        #expect(ok.allSatisfy { $0.errors.isEmpty })
        // The plugin is registered under Confluent's class name.
        #expect(JDBCSourcePlugins.all.first?.className == "io.confluent.connect.jdbc.JdbcSourceConnector")
        #expect(JDBCSourcePlugins.all.first?.version == "10.8.0")
    }
}
