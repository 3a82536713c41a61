import Foundation
import Testing
@testable import Runtime
import Kafka
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// `rest.extension.classes=...BasicAuthSecurityRestExtension` on real `sluice` processes: Kafka's JAAS and users file
/// formats, Kafka's 401 answer, and task restarts forwarded between distributed workers with the caller's credentials.
@Suite(.serialized) struct BasicAuthTests {
    static let password = "Ba-52e1f0-rest-password"

    /// Writes the JAAS and users files Kafka's documentation shows; returns the JAAS path.
    static func writeJaas(_ dir: TemporaryDirectory) throws -> String {
        try """
        # Kafka's PropertyFileLoginModule format: user: password
        admin: \(password)
        reader: other-secret-1
        """.write(toFile: dir.file("users.properties"), atomically: true, encoding: .utf8)
        try """
        /* Kafka Connect REST users */
        KafkaConnect {
          org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required
          file="\(dir.file("users.properties"))";
        };
        """.write(toFile: dir.file("jaas.conf"), atomically: true, encoding: .utf8)
        return dir.file("jaas.conf")
    }

    static let ext = "rest.extension.classes=org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension"

    @Test func standaloneAnswers401LikeKafkaAndAcceptsValidUsers() async throws {
        let dir = try TemporaryDirectory(prefix: "sluice-auth")
        let jaas = try Self.writeJaas(dir)
        let port = TestSupport.freePort()
        let base = "http://127.0.0.1:\(port)"
        try """
        bootstrap.servers=none
        key.converter=org.apache.kafka.connect.storage.StringConverter
        value.converter=org.apache.kafka.connect.storage.StringConverter
        listeners=http://127.0.0.1:\(port)
        \(Self.ext)
        java.security.auth.login.config=\(jaas)
        """.write(toFile: dir.file("worker.properties"), atomically: true, encoding: .utf8)
        let log = dir.file("worker.log")
        let worker = try ProcessHarness.startWorker([dir.file("worker.properties")], log: log)
        defer { worker.terminate(); worker.waitUntilExit() }
        let anonymous = Curl(), admin = Curl(options: ["-u", "admin:\(Self.password)"])
        try await waitUntil(timeout: 60, "REST up") { (try? anonymous.call("GET", base + "/").status) == 401 }

        for (who, curl) in [("nobody", anonymous), ("wrong password", Curl(options: ["-u", "admin:\(Self.password)x"])),
                            ("unknown user", Curl(options: ["-u", "ghost:\(Self.password)"])),
                            ("bearer", Curl(options: ["-H", "Authorization: Bearer abc"]))] {
            for (method, path) in [("GET", "/connectors"), ("GET", "/health"), ("PUT", "/admin/loggers/root"), ("DELETE", "/connectors/x")] {
                let r = try curl.call(method, base + path)
                #expect(r.status == 401, "\(who) \(method) \(path)")
                #expect(r.body == "User cannot access the resource.", "\(who): Kafka's JaasBasicAuthFilter body")
                #expect(r.headers["www-authenticate"] == "Basic realm=\"KafkaConnect\"")
            }
        }
        #expect(try admin.call("GET", base + "/connectors").body == "[]")
        #expect(try Curl(options: ["-u", "reader:other-secret-1"]).call("GET", base + "/").status == 200)
        let created = try admin.call("POST", base + "/connectors", body: #"{"name":"f","config":{"connector.class":"FileStreamSink","topics":"t","file":"\#(dir.file("o.txt"))"}}"#)
        #expect(created.status == 201)
        worker.terminate()
        worker.waitUntilExit()
        #expect(!(try String(contentsOfFile: log, encoding: .utf8)).contains(Self.password))
    }

    @Test func misconfiguredAuthStopsTheWorker() throws {
        let dir = try TemporaryDirectory(prefix: "sluice-auth-bad")
        try "Other { x required; };".write(toFile: dir.file("jaas.conf"), atomically: true, encoding: .utf8)
        let base = ["key.converter": "org.apache.kafka.connect.storage.StringConverter", "value.converter": "org.apache.kafka.connect.storage.StringConverter",
                    "rest.extension.classes": BasicAuthenticator.extensionClass]
        func error(_ extra: [String: String], env: [String: String] = [:]) -> String {
            do {
                _ = try BasicAuthenticator.make(workerProps: base.merging(extra) { $1 }, environment: env)
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(error([:]).contains("needs a JAAS file"))
        #expect(error(["java.security.auth.login.config": dir.file("jaas.conf")]).contains("has no KafkaConnect"))
        #expect(error(["rest.extension.classes": "com.example.Other"]).contains("supports only"))
        // KAFKA_OPTS is honoured like Kafka's scripts pass it to the JVM.
        #expect(error([:], env: ["KAFKA_OPTS": "-Xmx1g -Djava.security.auth.login.config=\(dir.file("jaas.conf"))"]).contains("has no KafkaConnect"))
        #expect(BasicAuthenticator.jaasPath(workerProps: [:], environment: ["KAFKA_OPTS": "-Djava.security.auth.login.config==/a/b.conf"]) == "/a/b.conf")
    }

    @Test func credentialsParseAndCompareLikeKafka() throws {
        let auth = BasicAuthenticator(users: ["u": Array("p:w".utf8)])
        let good = "Basic " + Data("u:p:w".utf8).base64EncodedString()
        #expect(auth.authenticate(good))
        #expect(auth.authenticate("basic " + Data("u:p:w".utf8).base64EncodedString()), "the scheme is case-insensitive")
        #expect(!auth.authenticate("Basic " + Data("u:p:".utf8).base64EncodedString()))
        #expect(!auth.authenticate("Basic " + Data(":p:w".utf8).base64EncodedString()))
        #expect(!auth.authenticate("Basic !!!"))
        #expect(!auth.authenticate(nil))
        #expect(BasicAuthenticator.constantTimeEquals(Array("abc".utf8), Array("abc".utf8)))
        #expect(!BasicAuthenticator.constantTimeEquals(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!BasicAuthenticator.constantTimeEquals([], Array("a".utf8)))
        let jaas = try JaasConfig.parse("""
        // comment
        KafkaConnect { a.B required file='/x y' debug=true; c.D optional; };
        Other { e.F sufficient; };
        """)
        #expect(jaas.sections["KafkaConnect"] == [.init(className: "a.B", flag: "required", options: ["file": "/x y", "debug": "true"]),
                                                  .init(className: "c.D", flag: "optional", options: [:])])
        #expect(throws: ConnectError.self) { try JaasConfig.parse("KafkaConnect { a.B mandatory; };") }
        #expect(throws: ConnectError.self) { try JaasConfig.parse("KafkaConnect { a.B required file=\"x; };") }
    }

    @Test func distributedForwardingKeepsCredentials() async throws {
        let dir = try TemporaryDirectory(prefix: "sluice-auth-dist")
        let jaas = try Self.writeJaas(dir)
        let (broker, bootstrap) = try ProcessHarness.startBroker()
        var workers: [Process] = []
        defer {
            for w in workers { w.terminate(); w.waitUntilExit() }
            broker.terminate(); broker.waitUntilExit()
        }
        let ports = [TestSupport.freePort(), TestSupport.freePort()]
        for (i, port) in ports.enumerated() {
            let props = dir.file("w\(i).properties")
            try ProcessHarness.distributedWorkerProperties(bootstrap: bootstrap, group: "auth-cluster", port: port, sessionTimeoutMs: 6000,
                                                          extra: [Self.ext, "java.security.auth.login.config=\(jaas)"])
                .write(toFile: props, atomically: true, encoding: .utf8)
            workers.append(try ProcessHarness.startDistributedWorker(props, log: dir.file("w\(i).log")))
        }
        let admin = Curl(options: ["-u", "admin:\(Self.password)"])
        let urls = ports.map { "http://127.0.0.1:\($0)" }
        for u in urls { try await waitUntil(timeout: 60, "worker up") { (try? admin.call("GET", u + "/health").status) == 200 } }
        let created = try admin.call("POST", urls[0] + "/connectors", body: #"{"name":"sink","config":{"connector.class":"FileStreamSink","topics":"auth","tasks.max":"4","file":"\#(dir.file("out.txt"))"}}"#)
        #expect(created.status == 201, "\(created.body)")
        try await waitUntil(timeout: 90, "4 tasks RUNNING on 2 workers") {
            guard let ts = try? admin.call("GET", urls[0] + "/connectors/sink/status").json?["tasks"]?.arrayValue else { return false }
            return ts.count == 4 && ts.allSatisfy { $0["state"]?.stringValue == "RUNNING" }
                && Set(ts.compactMap { $0["worker_id"]?.stringValue }).count == 2
        }
        // Half the tasks run on worker 1: restarting them via worker 0 is forwarded, with admin's credentials.
        for task in 0..<4 {
            let r = try admin.call("POST", urls[0] + "/connectors/sink/tasks/\(task)/restart")
            #expect(r.status == 204, "restart of task \(task) via worker 0: \(r.status) \(r.body)")
        }
        #expect(try Curl().call("POST", urls[0] + "/connectors/sink/tasks/0/restart").status == 401)
    }
}

/// A `sluice distributed` worker on a real broker (noida-db) with `security.protocol=SASL_PLAINTEXT`: its group
/// client (Sluice's own Kafka protocol code) and its librdkafka internal-topic clients both authenticate with the
/// worker's SASL settings, and it forms its group and runs a connector. noida-db accepts any PLAIN credentials, so
/// this proves the exchange works against a real broker, not that a wrong password would be refused.
@Suite(.serialized, .enabled(if: NoidaBroker.isAvailable, "needs scripts/reference.sh setup (noida-db)"))
struct DistributedSaslTests {
    @Test func distributedWorkerJoinsItsGroupOverSaslPlain() async throws {
        let broker = try NoidaBroker()
        defer { broker.stop() }
        let dir = try TemporaryDirectory(prefix: "sluice-sasl-dist")
        let port = TestSupport.freePort()
        let password = "Sasl-4f1e-password"
        try ProcessHarness.distributedWorkerProperties(bootstrap: broker.bootstrap, group: "sasl-cluster", port: port, sessionTimeoutMs: 10_000, extra: [
            "security.protocol=SASL_PLAINTEXT", "sasl.mechanism=PLAIN",
            #"sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="connect" password="\#(password)";"#,
        ]).write(toFile: dir.file("w.properties"), atomically: true, encoding: .utf8)
        let worker = try ProcessHarness.startDistributedWorker(dir.file("w.properties"), log: dir.file("w.log"))
        defer { worker.terminate(); worker.waitUntilExit() }
        let base = "http://127.0.0.1:\(port)"
        try await waitUntil(timeout: 90, "worker up") { (try? Curl().call("GET", base + "/").status) == 200 }
        let created = try Curl().call("POST", base + "/connectors", body: #"{"name":"sink","config":{"connector.class":"FileStreamSink","topics":"sasl","tasks.max":"2","file":"\#(dir.file("out.txt"))"}}"#)
        #expect(created.status == 201, "\(created.body)")
        try await waitUntil(timeout: 90, "connector and 2 tasks RUNNING") {
            guard let s = try? Curl().call("GET", base + "/connectors/sink/status").json else { return false }
            return s["connector"]?["state"]?.stringValue == "RUNNING" && s["tasks"]?.arrayValue?.count == 2
                && (s["tasks"]?.arrayValue ?? []).allSatisfy { $0["state"]?.stringValue == "RUNNING" }
        }
        let log = (try? String(contentsOfFile: dir.file("w.log"), encoding: .utf8)) ?? ""
        #expect(log.contains("Joining the Connect cluster (group client over SASL_PLAINTEXT)"))
        #expect(!log.contains(password))
    }
}

/// What the worker hands librdkafka for a SASL_SSL Kafka (no SASL broker runs here: the settings are checked as
/// librdkafka accepts them, through `KafkaConfigMapper`, which validates every key with `rd_kafka_conf_set`).
@Suite struct KafkaSecuritySettingsTests {
    @Test func internalClientsUseTheWorkersSecuritySettings() throws {
        let config = try WorkerConfig([
            "key.converter": "org.apache.kafka.connect.storage.StringConverter",
            "value.converter": "org.apache.kafka.connect.storage.StringConverter",
            "bootstrap.servers": "broker:9093",
            "security.protocol": "SASL_SSL",
            "sasl.mechanism": "SCRAM-SHA-512",
            "sasl.jaas.config": #"org.apache.kafka.common.security.scram.ScramLoginModule required username="connect" password="Kc-77-scram";"#,
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": "/etc/kafka/ca.pem",
            "consumer.security.protocol": "SASL_SSL",
        ])
        let mapped = KafkaConfigMapper.consumerConfig(fromJava: config.internalClientProps(prefix: "consumer.")).config
        #expect(mapped["security.protocol"] == "sasl_ssl")
        #expect(mapped["sasl.mechanisms"] == "SCRAM-SHA-512")
        #expect(mapped["sasl.username"] == "connect")
        #expect(mapped["sasl.password"] == "Kc-77-scram")
        #expect(mapped["ssl.ca.location"] == "/etc/kafka/ca.pem")
        // Task clients take only producer./consumer. keys, as in Kafka.
        #expect(config.clientProps(prefix: "producer.")["security.protocol"] == nil)
        // The JAAS password is a registered secret: logs hide it.
        #expect(Secrets.scrub("login with Kc-77-scram failed") == "login with [hidden] failed")
    }
}
