import Foundation
import Testing
@testable import Runtime
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// Secrets given to a real `sluice standalone` process (as `${file:...}` / `${env:...}` placeholders and as plain
/// password values) never show in its log, REST answers, status traces, metrics or the files it writes.
@Suite struct SecretLeakTests {
    static let filePassword = "Fp-7c1e0d-file-secret"
    static let envSecret = "Ev-94b2aa-env-secret"
    static let plainPassword = "Pl-3f0c55-plain-secret"
    static let urlPassword = "Ur-61d0ee-url-secret"

    @Test func secretsStayHiddenEverywhere() async throws {
        let dir = try TemporaryDirectory(prefix: "sluice-secrets")
        let port = TestSupport.freePort(), closed = TestSupport.freePort()
        let base = "http://127.0.0.1:\(port)"
        try "pw=\(Self.filePassword)\n".write(toFile: dir.file("secrets.properties"), atomically: true, encoding: .utf8)
        setenv("SLUICE_TEST_ENV_SECRET", Self.envSecret, 1)
        try """
        bootstrap.servers=none
        key.converter=org.apache.kafka.connect.storage.StringConverter
        value.converter=org.apache.kafka.connect.storage.StringConverter
        offset.storage.file.filename=\(dir.file("connect.offsets"))
        config.providers=file,env
        config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
        config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
        listeners=http://127.0.0.1:\(port)
        task.restart.on.failure=false
        """.write(toFile: dir.file("worker.properties"), atomically: true, encoding: .utf8)
        let log = dir.file("worker.log")
        let worker = try ProcessHarness.startWorker([dir.file("worker.properties")], log: log)
        defer { worker.terminate(); worker.waitUntilExit() }
        let curl = Curl()
        try await waitUntil(timeout: 60, "REST up") { (try? curl.call("GET", base + "/health").status) == 200 }

        // Creating a JDBC source whose database is unreachable fails validation: the error names the URL, whose
        // password must not show.
        let closedURL = "jdbc:postgresql://127.0.0.1:\(closed)/db?user=u&password=\(Self.urlPassword)"
        var unreachable: [String: String] = [
            "connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector",
            "connection.url": closedURL, "connection.user": "u", "connection.password": Self.plainPassword,
            "mode": "bulk", "topic.prefix": "t-", "table.whitelist": "x",
        ]
        let refused = try curl.call("POST", base + "/connectors", body: JSONValue.object(["name": .string("down"), "config": .stringMap(unreachable)]).compactString)
        #expect(refused.status == 400 && refused.body.contains("[hidden]"), "\(refused.body)")

        // validate: a PASSWORD key's value is "[hidden]", as Kafka answers.
        unreachable["connection.url"] = "jdbc:postgresql://127.0.0.1:\(closed)/db"
        let validate = try curl.call("PUT", base + "/connector-plugins/JdbcSourceConnector/config/validate",
                                     body: JSONValue.stringMap(unreachable).compactString)
        #expect(validate.status == 200)
        let pwEntry = validate.json?["configs"]?.arrayValue?.first { $0["value"]?["name"]?.stringValue == "connection.password" }
        #expect(pwEntry?["value"]?["value"]?.stringValue == "[hidden]")

        // A running JDBC source (PostgreSQL with trust auth ignores the password) whose password comes from
        // `${file:...}` and a custom key from `${env:...}`.
        let db = try PostgresServer.shared().createDatabase(prefix: "secrets")
        let conn = try db.connect()
        try conn.execute("CREATE TABLE x (id INT PRIMARY KEY)")
        try conn.execute("INSERT INTO x VALUES (1)")
        conn.close()
        let posted: [String: String] = [
            "connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector",
            "connection.url": db.url + "&password=\(Self.urlPassword)",
            "connection.user": "postgres",
            "connection.password": "${file:\(dir.file("secrets.properties")):pw}",
            "mode": "bulk", "topic.prefix": "t-", "table.whitelist": "x", "poll.interval.ms": "500",
            "database.note": "${env:SLUICE_TEST_ENV_SECRET}",
        ]
        let created = try curl.call("POST", base + "/connectors", body: JSONValue.object(["name": .string("leaky"), "config": .stringMap(posted)]).compactString)
        #expect(created.status == 201, "\(created.body)")
        try await waitUntil(timeout: 60, "leaky RUNNING") {
            let s = try curl.call("GET", base + "/connectors/leaky/status").json
            return s?["tasks"]?.arrayValue?.first?["state"]?.stringValue == "RUNNING"
        }

        // GET config answers what was posted, placeholders unresolved; so do the stored task configs.
        let config = try curl.call("GET", base + "/connectors/leaky/config").json
        #expect(config?["connection.password"]?.stringValue == posted["connection.password"])
        #expect(config?["database.note"]?.stringValue == "${env:SLUICE_TEST_ENV_SECRET}")
        let tasks = try curl.call("GET", base + "/connectors/leaky/tasks").json
        #expect(tasks?.arrayValue?.first?["config"]?["connection.password"]?.stringValue == posted["connection.password"])

        var seen: [String: String] = [:]
        for path in ["/connectors/leaky/status", "/connectors?expand=status&expand=info",
                     "/connectors/leaky/tasks", "/connectors/leaky", "/metrics"] {
            seen[path] = try curl.call("GET", base + path).body
        }
        seen["validate"] = validate.body
        seen["refused create"] = refused.body
        worker.terminate()
        worker.waitUntilExit()
        seen["worker.log"] = try String(contentsOfFile: log, encoding: .utf8)
        seen["connectors.json"] = try String(contentsOfFile: dir.file("connect.offsets.connectors.json"), encoding: .utf8)
        seen["offsets"] = (try? String(contentsOfFile: dir.file("connect.offsets"), encoding: .isoLatin1)) ?? ""
        #expect(seen["worker.log"]?.contains("leaky") == true, "the log talks about the connector")
        #expect(seen["connectors.json"]?.contains("${file:") == true, "the stored config keeps the placeholder")
        // Values posted in plain text are echoed by the config endpoints and kept in the stored config (as Kafka
        // does); everywhere else they are hidden. Placeholder-resolved values appear nowhere.
        let echoesConfig: Set<String> = ["/connectors/leaky/tasks", "/connectors/leaky", "/connectors?expand=status&expand=info", "connectors.json"]
        for (place, text) in seen {
            for secret in [Self.filePassword, Self.envSecret] {
                #expect(!text.contains(secret), "\(secret) leaked into \(place)")
            }
            if !echoesConfig.contains(place) {
                for secret in [Self.plainPassword, Self.urlPassword] {
                    #expect(!text.contains(secret), "\(secret) leaked into \(place)")
                }
            }
        }
    }

    @Test func scrubHidesRegisteredValuesAndURLPasswords() {
        Secrets.register(["ssl.key.password": "K3y-pass-123", "topic": "orders"])
        #expect(Secrets.scrub("failed: K3y-pass-123 rejected for orders") == "failed: [hidden] rejected for orders")
        #expect(Secrets.scrub("jdbc:mariadb://h/db?user=a&Password=x1&ssl=true") == "jdbc:mariadb://h/db?user=a&Password=[hidden]&ssl=true")
        #expect(Secrets.scrub("host=h password=abc dbname=d") == "host=h password=[hidden] dbname=d")
        Secrets.register(["sasl.jaas.config": #"org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="JaasPw-9";"#])
        #expect(Secrets.scrub("auth JaasPw-9 failed") == "auth [hidden] failed")
        #expect(ConnectError.invalidConfig("producer.override.ssl.key.password", "oops", "bad").message.contains("[hidden]"))
        // Status traces (REST /status, the status topic) are scrubbed whatever produced them.
        #expect(InstanceStatus(state: .failed, workerId: "w", trace: "x K3y-pass-123 y").trace == "x [hidden] y")
        #expect(WorkerTask.trace(ConnectError(.connect, "login JaasPw-9")).contains("login [hidden]"))
        // Stored task configs get the connector's placeholders back (AbstractHerder.reverseTransform).
        let stored = Worker.reverseTransform([["connection.password": "resolved", "table": "t"]],
                                             raw: ["connection.password": "${file:/s:pw}", "table": "t"])
        #expect(stored == [["connection.password": "${file:/s:pw}", "table": "t"]])
    }
}
