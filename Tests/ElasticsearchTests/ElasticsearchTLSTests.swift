import BlockingHTTP
import Foundation
import SluiceAPI
import Testing
import TestSupport

@testable import Elasticsearch

/// https to the cluster: Confluent's `elastic.security.protocol` / `elastic.https.ssl.*` keys against a real TLS
/// endpoint (`TLSFront`: socat in front of osmem-server), with PEM and PKCS#12 stores, client certificates, host
/// name verification, and the errors for stores that cannot work.
@Suite(.serialized) struct ElasticsearchTLSTests {
    /// Validate's errors per key, for `props`.
    func errors(_ props: [String: String]) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for r in ElasticsearchSinkConnector().validate(props) where !r.errors.isEmpty { out[r.name] = r.errors }
        return out
    }

    @Test func httpsWithPEMTrustStoreAndHostNameCheck() throws {
        let dir = try TemporaryDirectory(prefix: "sluice-es-tls")
        try TLSFront.makeCertificates(in: dir)
        let es = try OpenSearchServer()
        let front = try TLSFront(backendPort: es.port, dir: dir)
        let ssl = ["elastic.security.protocol": "SSL", "elastic.https.ssl.truststore.location": front.path("ca.crt"),
                   "elastic.https.ssl.truststore.type": "PEM"]
        #expect(errors(ssl.merging(["connection.url": front.url(), "topics": "t"]) { $1 }).isEmpty)

        var props = ssl
        props["connection.url"] = front.url()
        let (task, _) = try makeTask(es, props)
        try task.put((0..<200).map { order(offset: Int64($0), id: Int64($0)) })
        try task.flush([:])
        task.stop()
        #expect(try es.count("orders") == 200)  // read back over plain http, behind the front

        // The system's CAs do not know the test CA: validate says why, on connection.url.
        let untrusted = errors(["connection.url": front.url(), "topics": "t"])
        #expect(untrusted["connection.url"]?.first?.contains("certificate verify failed") == true)

        // The certificate names localhost, not 127.0.0.1: refused unless the host name check is turned off.
        let byIP = ssl.merging(["connection.url": front.url(host: "127.0.0.1"), "topics": "t"]) { $1 }
        let mismatch = errors(byIP)["connection.url"]?.first ?? ""
        #expect(mismatch.contains("mismatch") && mismatch.contains("does not name 127.0.0.1"), "\(mismatch)")
        #expect(errors(byIP.merging(["elastic.https.ssl.endpoint.identification.algorithm": ""]) { $1 }).isEmpty)

        // TLS 1.3 only still works against socat (OpenSSL 3); an unknown protocol name is a config error.
        #expect(errors(byIP.merging(["elastic.https.ssl.endpoint.identification.algorithm": "",
                                     "elastic.https.ssl.enabled.protocols": "TLSv1.3"]) { $1 }).isEmpty)
        #expect(throws: (any Error).self) {
            try ElasticsearchSinkConfig(byIP.merging(["elastic.https.ssl.enabled.protocols": "SSLv3"]) { $1 })
        }
    }

    @Test func clientCertificatesFromPKCS12AndEncryptedPEM() throws {
        let dir = try TemporaryDirectory(prefix: "sluice-es-mtls")
        try TLSFront.makeCertificates(in: dir)
        let es = try OpenSearchServer()
        let front = try TLSFront(backendPort: es.port, dir: dir, requireClientCertificate: true)
        let base = ["connection.url": front.url(), "topics": "t", "elastic.security.protocol": "SSL",
                    "elastic.https.ssl.truststore.location": front.path("trust.p12"),
                    "elastic.https.ssl.truststore.password": "trust-pw"]
        // No client certificate: the server ends the handshake.
        let noCert = errors(base)["connection.url"]?.first ?? ""
        #expect(noCert.contains("TLS"), "\(noCert)")

        let p12 = base.merging(["elastic.https.ssl.keystore.location": front.path("client.p12"),
                                "elastic.https.ssl.keystore.password": "key-pw",
                                "elastic.https.ssl.keystore.type": "PKCS12"]) { $1 }
        #expect(errors(p12).isEmpty)
        let (task, _) = try makeTask(es, p12)
        try task.put((0..<50).map { order(offset: Int64($0), id: Int64($0)) })
        try task.flush([:])
        task.stop()
        #expect(try es.count("orders") == 50)

        let pem = base.merging(["elastic.https.ssl.keystore.location": front.path("client-enc.pem"),
                                "elastic.https.ssl.key.password": "pem-pw"]) { $1 }
        #expect(errors(pem).isEmpty)
        let wrongKeyPassword = errors(pem.merging(["elastic.https.ssl.key.password": "nope"]) { $1 })
        #expect(wrongKeyPassword["elastic.https.ssl.keystore.location"]?.first?.contains("private key") == true)
    }

    @Test func storesThatCannotWorkAreErrorsOnTheirKeys() throws {
        let dir = try TemporaryDirectory(prefix: "sluice-es-tls-bad")
        try TLSFront.makeCertificates(in: dir)
        let base = ["connection.url": "https://localhost:1", "topics": "t", "elastic.security.protocol": "SSL"]
        let jks = errors(base.merging(["elastic.https.ssl.truststore.location": "\(dir.path)/fake.jks"]) { $1 })
        #expect(jks["elastic.https.ssl.truststore.location"]?.first?.contains("keytool -importkeystore") == true)
        let missing = errors(base.merging(["elastic.https.ssl.truststore.location": "\(dir.path)/nope.pem"]) { $1 })
        #expect(missing["elastic.https.ssl.truststore.location"]?.first?.contains("cannot read") == true)
        let wrongPassword = errors(base.merging(["elastic.https.ssl.truststore.location": "\(dir.path)/trust.p12",
                                                 "elastic.https.ssl.truststore.password": "wrong-secret"]) { $1 })
        let message = wrongPassword["elastic.https.ssl.truststore.password"]?.first ?? ""
        #expect(message.contains("wrong password"))
        #expect(!message.contains("wrong-secret"))
        let notAStore = errors(base.merging(["elastic.https.ssl.keystore.location": "\(dir.path)/server.ext"]) { $1 })
        #expect(notAStore["elastic.https.ssl.keystore.location"]?.first?.contains("neither a PEM nor a PKCS#12") == true)
    }

    @Test func storeKindsAreRecognisedByContent() {
        #expect(TLSSettings.kind(of: [0xFE, 0xED, 0xFE, 0xED, 0, 0]) == .jks)
        #expect(TLSSettings.kind(of: [0x30, 0x82, 0x01]) == .pkcs12)
        #expect(TLSSettings.kind(of: Array("-----BEGIN CERTIFICATE-----\n".utf8)) == .pem)
        #expect(TLSSettings.kind(of: Array("hello".utf8)) == .unknown)
    }

    @Test func settingsFollowTheOriginalsRules() throws {
        func settings(_ p: [String: String]) throws -> TLSSettings {
            try TLSSettings(urls: (p["connection.url"] ?? "").split(separator: ",").map(String.init),
                            string: { p[$0] }, list: { (p[$0] ?? "").split(separator: ",").map(String.init) })
        }
        let plain = try settings(["connection.url": "http://a:9200"])
        #expect(!plain.enabled)
        // PLAINTEXT with an https URL: TLS with the system's CAs; the stores are ignored, as in the original.
        let https = try settings(["connection.url": "http://a,https://b", "elastic.https.ssl.truststore.location": "/x"])
        #expect(https.enabled && https.truststore == nil && https.verifyHostname)
        let ssl = try settings(["connection.url": "https://b", "elastic.security.protocol": "ssl",
                                "elastic.https.ssl.truststore.location": "/x", "elastic.https.ssl.enabled.protocols": "TLSv1.2",
                                "elastic.https.ssl.endpoint.identification.algorithm": " "])
        #expect(ssl.truststore?.location == "/x" && ssl.minProtocol == "TLSv1.2" && ssl.maxProtocol == "TLSv1.2")
        #expect(!ssl.verifyHostname)
    }
}
