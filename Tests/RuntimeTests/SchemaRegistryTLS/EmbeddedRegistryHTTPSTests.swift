import BlockingHTTP
import Foundation
import SchemaRegistry
import SluiceAPI
import Testing
import TestSupport
import WorkerTestSupport

@testable import Runtime

/// The worker's embedded registry on an `https://` listener (`schema.registry.listeners` with Confluent's
/// `schema.registry.ssl.*` keys): converters reach it with a trust store, plain http is not answered, client
/// certificates are enforced when REQUIRED, and an unusable key store stops the worker with the key named (before
/// anything is published).
@Suite(.serialized) struct EmbeddedRegistryHTTPSTests {
    static func worker(_ dir: TemporaryDirectory, port: Int, _ extra: [String: String]) async throws -> TestWorker {
        try await TestWorker(extra: ["schema.registry.listeners": "https://127.0.0.1:\(port)",
                                     "schema.registry.ssl.keystore.location": dir.file("server.pem")].merging(extra) { $1 },
                             dir: dir)
    }

    @Test(.timeLimit(.minutes(3))) func convertersRegisterOverHTTPS() async throws {
        let dir = try TemporaryDirectory(prefix: "sluice-sr-https")
        try TLSFront.makeCertificates(in: dir)
        let port = TestSupport.freePort()
        let w = try await Self.worker(dir, port: port, [:])
        do {
            // The certificate names localhost: the converter checks the host name as Confluent's client does.
            let props = ["schema.registry.url": "https://localhost:\(port)", "schema.registry.ssl.truststore.location": dir.file("ca.crt")]
            let bytes = try await SchemaRegistryTLSTests.roundTrip(props)
            #expect(Array(bytes.prefix(5)) == [0, 0, 0, 0, 1])
            // A plain-http request to the https port gets no registry answer.
            let plain = try? BlockingHTTPClient.send(method: "GET", url: "http://127.0.0.1:\(port)/subjects", headers: [], body: nil, timeoutMs: 5_000)
            #expect(plain == nil || plain?.status != 200)
            // Without the test CA the certificate is refused (retriable: the task backs off, nothing is lost).
            let untrusted = try await SchemaRegistryTLSTests.failure(["schema.registry.url": "https://localhost:\(port)"])
            #expect(untrusted?.isRetriable == true, "\(String(describing: untrusted))")
        } catch {
            await w.shutdown()
            throw error
        }
        await w.shutdown()
    }

    @Test(.timeLimit(.minutes(3))) func requiredClientCertificates() async throws {
        let dir = try TemporaryDirectory(prefix: "sluice-sr-https-mtls")
        try TLSFront.makeCertificates(in: dir)
        let port = TestSupport.freePort()
        let w = try await Self.worker(dir, port: port, ["schema.registry.ssl.client.authentication": "REQUIRED",
                                                        "schema.registry.ssl.truststore.location": dir.file("ca.crt")])
        do {
            let base = ["schema.registry.url": "https://localhost:\(port)", "schema.registry.ssl.truststore.location": dir.file("ca.crt")]
            let refused = try await SchemaRegistryTLSTests.failure(base)
            #expect(refused != nil, "a client without a certificate was served")
            _ = try await SchemaRegistryTLSTests.roundTrip(base.merging(["schema.registry.ssl.keystore.location": dir.file("client.p12"),
                                                                          "schema.registry.ssl.keystore.password": "key-pw"]) { $1 })
        } catch {
            await w.shutdown()
            throw error
        }
        await w.shutdown()
    }

    @Test func unusableKeyStoresAreConfigErrorsNamingTheRegistryKey() throws {
        let dir = try TemporaryDirectory(prefix: "sluice-sr-https-bad")
        try TLSFront.makeCertificates(in: dir)
        func error(_ props: [String: String]) -> String {
            let all = ["bootstrap.servers": "none", "offset.storage.file.filename": dir.file("o"), "key.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                       "schema.registry.listeners": "https://127.0.0.1:0"].merging(props) { $1 }
            do {
                _ = try EmbeddedSchemaRegistryServer.make(config: try WorkerConfig(all), logger: .init(label: "t"))
                return ""
            } catch { return "\(error)" }
        }
        let jks = error(["schema.registry.ssl.keystore.location": dir.file("fake.jks")])
        #expect(jks.contains("schema.registry.ssl.keystore.location") && jks.contains("keytool"), "\(jks)")
        let none = error([:])
        #expect(none.contains("schema.registry.ssl.keystore.location"), "\(none)")
        let badAuth = error(["schema.registry.ssl.keystore.location": dir.file("server.pem"), "schema.registry.ssl.client.authentication": "SOMETIMES"])
        #expect(badAuth.contains("ssl.client.auth"), "\(badAuth)")
        // The worker's own REST key store serves the registry too when no registry key store is given (checked on the
        // settings: a registry made here would be published to the other suites' `embedded` converters).
        let fallback = EmbeddedSchemaRegistryServer.tlsProps(["listeners.https.ssl.keystore.location": dir.file("server.pem")])
        #expect(throws: Never.self) { try RestTLS.configuration(fallback, names: "schema.registry.") }
    }
}
