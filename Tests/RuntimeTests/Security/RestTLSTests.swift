import Foundation
import Testing
@testable import Runtime
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// `listeners=https://...` on real `sluice` processes, with certificates made by openssl for each run: PEM and
/// PKCS#12 key stores, required client certificates, KIP-495 `admin.listeners`, and JKS refused with the fix.
@Suite(.serialized) struct RestTLSTests {
    /// A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA.
    static func makeCerts(_ dir: TemporaryDirectory) throws {
        let script = """
        set -e
        cd \(dir.path)
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=sluice-test-ca 2>/dev/null
        for n in server client; do
          openssl req -newkey rsa:2048 -nodes -keyout $n.key -out $n.csr -subj /CN=$n 2>/dev/null
          printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > $n.ext
          openssl x509 -req -in $n.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out $n.crt -days 2 -extfile $n.ext 2>/dev/null
        done
        cat server.key server.crt > server.pem
        openssl pkcs12 -export -in server.crt -inkey server.key -certfile ca.crt -out server.p12 -passout pass:store-pw-1
        keytool -importkeystore -srckeystore server.p12 -srcstoretype PKCS12 -srcstorepass store-pw-1 \
          -destkeystore server.jks -deststoretype JKS -deststorepass store-pw-1 -noprompt >/dev/null 2>&1 \
          || printf '\\xfe\\xed\\xfe\\xed\\x00\\x00\\x00\\x02' > server.jks  # no JDK: a JKS header is what Sluice looks at
        """
        let r = try TestSupport.runProcess("/bin/bash", ["-c", script])
        #expect(r.succeeded, "\(r.output)")
    }

    static func worker(_ dir: TemporaryDirectory, _ name: String, _ lines: [String]) throws -> Process {
        try (["bootstrap.servers=none",
              "key.converter=org.apache.kafka.connect.storage.StringConverter",
              "value.converter=org.apache.kafka.connect.storage.StringConverter"] + lines)
            .joined(separator: "\n").write(toFile: dir.file("\(name).properties"), atomically: true, encoding: .utf8)
        return try ProcessHarness.startWorker([dir.file("\(name).properties")], log: dir.file("\(name).log"))
    }

    @Test func httpsWithPEMAndPKCS12AndClientCertificatesAndAdminListener() async throws {
        let dir = try TemporaryDirectory(prefix: "sluice-tls")
        try Self.makeCerts(dir)
        let (pemPort, adminPort, p12Port) = (TestSupport.freePort(), TestSupport.freePort(), TestSupport.freePort())
        let pemWorker = try Self.worker(dir, "pem", [
            "listeners=https://127.0.0.1:\(pemPort)",
            "listeners.https.ssl.keystore.type=PEM",
            "listeners.https.ssl.keystore.location=\(dir.file("server.pem"))",
            "admin.listeners=http://127.0.0.1:\(adminPort)",
        ])
        defer { pemWorker.terminate(); pemWorker.waitUntilExit() }
        let p12Worker = try Self.worker(dir, "p12", [
            "listeners=https://127.0.0.1:\(p12Port)",
            "listeners.https.ssl.keystore.type=PKCS12",
            "listeners.https.ssl.keystore.location=\(dir.file("server.p12"))",
            "listeners.https.ssl.keystore.password=store-pw-1",
            "listeners.https.ssl.truststore.type=PEM",
            "listeners.https.ssl.truststore.location=\(dir.file("ca.crt"))",
            "listeners.https.ssl.client.auth=required",
        ])
        defer { p12Worker.terminate(); p12Worker.waitUntilExit() }

        let trusting = Curl(options: ["--cacert", dir.file("ca.crt")])
        let pemBase = "https://127.0.0.1:\(pemPort)"
        try await waitUntil(timeout: 60, "https up") { (try? trusting.call("GET", pemBase + "/").status) == 200 }
        #expect(try trusting.call("GET", pemBase + "/connectors").body == "[]")
        // curl refuses a server it cannot verify; plain http to the https port gets no HTTP answer.
        #expect(try Curl().call("GET", pemBase + "/").status == 0)
        #expect(try Curl().call("GET", "http://127.0.0.1:\(pemPort)/").status != 200)
        // KIP-495: /admin lives on admin.listeners only.
        #expect(try trusting.call("GET", pemBase + "/admin/loggers").status == 404)
        let admin = "http://127.0.0.1:\(adminPort)"
        #expect(try Curl().call("GET", admin + "/admin/loggers").status == 200)
        #expect(try Curl().call("GET", admin + "/connectors").status == 404)

        // PKCS#12 key store and required client certificates.
        let p12Base = "https://127.0.0.1:\(p12Port)"
        let withCert = Curl(options: ["--cacert", dir.file("ca.crt"), "--cert", dir.file("client.crt"), "--key", dir.file("client.key")])
        try await waitUntil(timeout: 60, "mTLS up") { (try? withCert.call("GET", p12Base + "/").status) == 200 }
        #expect(try withCert.call("GET", p12Base + "/connectors").status == 200)
        #expect(try trusting.call("GET", p12Base + "/connectors").status == 0, "no client certificate: handshake refused")
        // A certificate the trust store does not vouch for is refused too.
        let selfSigned = try TestSupport.runProcess("/bin/bash", ["-c", "cd \(dir.path) && openssl req -x509 -newkey rsa:2048 -nodes -keyout rogue.key -out rogue.crt -days 1 -subj /CN=rogue 2>/dev/null"])
        #expect(selfSigned.succeeded)
        let rogue = Curl(options: ["--cacert", dir.file("ca.crt"), "--cert", dir.file("rogue.crt"), "--key", dir.file("rogue.key")])
        #expect(try rogue.call("GET", p12Base + "/connectors").status == 0)
    }

    /// Two distributed workers on https requiring client certificates, with basic auth: a task restart sent to one
    /// worker for a task the other runs is forwarded over https, presenting the worker's key store as its client
    /// certificate, trusting the peer through the trust store, and carrying the caller's credentials.
    @Test func distributedForwardingOverHTTPSWithClientCertificates() async throws {
        let dir = try TemporaryDirectory(prefix: "sluice-tls-dist")
        try Self.makeCerts(dir)
        let jaas = try BasicAuthTests.writeJaas(dir)
        let (broker, bootstrap) = try ProcessHarness.startBroker()
        var workers: [Process] = []
        defer {
            for w in workers { w.terminate(); w.waitUntilExit() }
            broker.terminate(); broker.waitUntilExit()
        }
        let ports = [TestSupport.freePort(), TestSupport.freePort()]
        for (i, port) in ports.enumerated() {
            let props = dir.file("w\(i).properties")
            try ProcessHarness.distributedWorkerProperties(bootstrap: bootstrap, group: "tls-cluster", port: port, sessionTimeoutMs: 6000, extra: [
                "listeners=https://127.0.0.1:\(port)",
                "listeners.https.ssl.keystore.location=\(dir.file("server.p12"))",
                "listeners.https.ssl.keystore.password=store-pw-1",
                "listeners.https.ssl.truststore.location=\(dir.file("ca.crt"))",
                "listeners.https.ssl.client.auth=required",
                BasicAuthTests.ext, "java.security.auth.login.config=\(jaas)",
            ]).write(toFile: props, atomically: true, encoding: .utf8)
            workers.append(try ProcessHarness.startDistributedWorker(props, log: dir.file("w\(i).log")))
        }
        let admin = Curl(options: ["--cacert", dir.file("ca.crt"), "--cert", dir.file("client.crt"), "--key", dir.file("client.key"),
                                   "-u", "admin:\(BasicAuthTests.password)"])
        let urls = ports.map { "https://127.0.0.1:\($0)" }
        for u in urls { try await waitUntil(timeout: 90, "worker up on \(u)") { (try? admin.call("GET", u + "/health").status) == 200 } }
        let created = try admin.call("POST", urls[0] + "/connectors", body: #"{"name":"sink","config":{"connector.class":"FileStreamSink","topics":"tls","tasks.max":"4","file":"\#(dir.file("out.txt"))"}}"#)
        #expect(created.status == 201, "\(created.body)")
        try await waitUntil(timeout: 90, "4 tasks RUNNING on 2 workers") {
            guard let ts = try? admin.call("GET", urls[0] + "/connectors/sink/status").json?["tasks"]?.arrayValue else { return false }
            return ts.count == 4 && ts.allSatisfy { $0["state"]?.stringValue == "RUNNING" }
                && Set(ts.compactMap { $0["worker_id"]?.stringValue }).count == 2
        }
        let tasks = try admin.call("GET", urls[0] + "/connectors/sink/status").json?["tasks"]?.arrayValue ?? []
        let owners = tasks.compactMap { $0["worker_id"]?.stringValue }
        #expect(Set(owners) == Set(ports.map { "127.0.0.1:\($0)" }))
        // Every task restarted via worker 0: those on worker 1 are forwarded over https.
        for task in 0..<4 {
            let r = try admin.call("POST", urls[0] + "/connectors/sink/tasks/\(task)/restart")
            #expect(r.status == 204, "restart of task \(task) (on \(task < owners.count ? owners[task] : "?")) via worker 0: \(r.status) \(r.body)")
        }
        let log = (try? String(contentsOfFile: dir.file("w0.log"), encoding: .utf8)) ?? ""
        #expect(!log.contains(BasicAuthTests.password) && !log.contains("store-pw-1"))
    }

    /// The client side of forwarding: trust store, key store as client certificate, Kafka's host-name switch.
    @Test func forwardingClientTLSSettings() async throws {
        let dir = try TemporaryDirectory(prefix: "sluice-tls-client")
        try Self.makeCerts(dir)
        let full = try RestClientTLS.configuration([
            "listeners.https.ssl.keystore.location": dir.file("server.p12"), "listeners.https.ssl.keystore.password": "store-pw-1",
            "listeners.https.ssl.truststore.location": dir.file("ca.crt"),
        ])
        #expect(full.certificateVerification == .fullVerification)
        #expect(full.certificateChain.count == 2 && full.privateKey != nil, "the key store's chain is the client certificate")
        if case .certificates(let roots)? = full.trustRoots { #expect(roots.count == 1) } else { Issue.record("trust store not used") }
        let noHostname = try RestClientTLS.configuration(["listeners.https.ssl.endpoint.identification.algorithm": ""])
        #expect(noHostname.certificateVerification == .noHostnameVerification && noHostname.privateKey == nil)
        // An https peer without client settings, and a URL that is not http(s), are clear 500s, not crashes.
        await #expect(throws: RestError.self) { try await RestForwarder.post("https://127.0.0.1:1/x") }
        await #expect(throws: RestError.self) { try await RestForwarder.post("ftp://127.0.0.1:1/x") }
        await #expect(throws: RestError.self) { try await RestForwarder.post("https://[::1]/x") }
    }

    @Test func storesThatCannotBeUsedAreClearErrors() throws {
        let dir = try TemporaryDirectory(prefix: "sluice-tls-bad")
        try Self.makeCerts(dir)
        func error(_ props: [String: String]) -> String {
            var all = ["key.converter": "org.apache.kafka.connect.storage.StringConverter",
                       "value.converter": "org.apache.kafka.connect.storage.StringConverter",
                       "listeners": "https://127.0.0.1:0"]
            all.merge(props) { $1 }
            do { _ = try RestSecurity(config: try WorkerConfig(all)); return "no error" } catch { return "\(error)" }
        }
        let jks = error(["listeners.https.ssl.keystore.location": dir.file("server.jks"), "listeners.https.ssl.keystore.password": "store-pw-1"])
        #expect(jks.contains("keytool -importkeystore") && jks.contains("-deststoretype PKCS12"), "\(jks)")
        #expect(error(["listeners.https.ssl.keystore.location": dir.file("server.p12"), "listeners.https.ssl.keystore.password": "wrong"]).contains("wrong ssl.keystore.password"))
        #expect(error([:]).contains("needs a key store"))
        #expect(error(["listeners.https.ssl.keystore.location": dir.file("server.pem"), "listeners.https.ssl.client.auth": "required"]).contains("needs a trust store"))
        #expect(error(["listeners.https.ssl.keystore.location": dir.file("server.pem")]) == "no error")
        #expect(try RestSecurity.Listener.parse("https://:8443", key: "listeners") == .init(https: true, host: "0.0.0.0", port: 8443))
        #expect(throws: ConnectError.self) { try RestSecurity.Listener.parse("ftp://h:1", key: "listeners") }
    }
}
