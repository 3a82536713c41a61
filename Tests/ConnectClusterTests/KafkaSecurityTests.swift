import Foundation
import Testing
@testable import ConnectCluster

/// The pure parts of the group client's security: SCRAM against RFC 7677's published exchange, the SASL request
/// codecs, and reading `security.protocol` / `sasl.*` / `ssl.*` from the worker's librdkafka settings.
@Suite struct KafkaSecurityTests {
    static let serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"

    /// RFC 7677 §3: user "user", password "pencil", the client nonce fixed to the RFC's.
    @Test func scramSha256MatchesRFC7677() throws {
        var scram = ScramClient(mechanism: .sha256, username: "user", password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO")
        #expect(String(decoding: scram.clientFirstMessage(), as: UTF8.self) == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        let final = try scram.clientFinalMessage(serverFirst: Array(Self.serverFirst.utf8))
        #expect(String(decoding: final, as: UTF8.self)
            == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        try scram.verify(serverFinal: Array("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
        // A server that does not know the password cannot produce the signature.
        #expect(throws: KafkaWireError.self) { try scram.verify(serverFinal: Array("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8)) }
        #expect(throws: KafkaWireError.self) { try scram.verify(serverFinal: Array("e=invalid-proof".utf8)) }
    }

    /// SCRAM-SHA-512 has no RFC vector; the expected proof and signature were computed with Python's hashlib
    /// (`pbkdf2_hmac('sha512', ...)` and `hmac`) for the RFC 7677 inputs.
    @Test func scramSha512MatchesAnIndependentImplementation() throws {
        var scram = ScramClient(mechanism: .sha512, username: "user", password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO")
        _ = scram.clientFirstMessage()
        let final = String(decoding: try scram.clientFinalMessage(serverFirst: Array(Self.serverFirst.utf8)), as: UTF8.self)
        #expect(final.hasSuffix(",p=gMGXRcevScNtxZ6/8lQYpGtnsNAc3mGcmNomv+xnoOMw+3R2xNJdMNnzMlTN8PPC6wdp6dybEmDYXYTxwnYPJQ=="))
        try scram.verify(serverFinal: Array("v=ZQnYEgWQMFmmsM8aQMF0nDDCy/AgCzkwk8CmMZYcMg0vSVlKDanekLtifDSeVGT4+5ZxXnJq199RVG2rR7N7Zw==".utf8))
    }

    @Test func scramRefusesBadServerMessages() {
        func final(_ serverFirst: String) -> String {
            var scram = ScramClient(mechanism: .sha256, username: "u", password: "p", nonce: "abc")
            _ = scram.clientFirstMessage()
            do { _ = try scram.clientFinalMessage(serverFirst: Array(serverFirst.utf8)); return "accepted" } catch { return "\(error)" }
        }
        #expect(final("r=xyz123,s=c2FsdA==,i=4096").contains("nonce"), "a nonce not extending ours")
        #expect(final("r=abc,s=c2FsdA==,i=4096").contains("nonce"), "the server added nothing")
        #expect(final("r=abcdef,s=!!,i=4096").contains("salt"))
        #expect(final("r=abcdef,s=c2FsdA==,i=999999999").contains("iteration"), "a hostile count must not hash for hours")
        #expect(final("r=abcdef,s=c2FsdA==").contains("iteration"))
        #expect(final("e=unknown-user").contains("unknown-user"))
        #expect(final("") .contains("nonce"))
        #expect(final("r=abcdef,s=c2FsdA==,i=4096") == "accepted")
        // RFC 5802 saslname escaping.
        var scram = ScramClient(mechanism: .sha256, username: "a=b,c", password: "p", nonce: "n")
        #expect(String(decoding: scram.clientFirstMessage(), as: UTF8.self) == "n,,n=a=3Db=2Cc,r=n")
    }

    @Test func saslCodecs() throws {
        var w = KafkaWireWriter()
        SaslHandshakeRequest(mechanism: "PLAIN").encode(version: 1, into: &w)
        #expect(w.bytes == [0, 5] + Array("PLAIN".utf8))
        let handshake = try SaslHandshakeRequest.decodeResponse([0, 33, 0, 0, 0, 1, 0, 5] + Array("PLAIN".utf8), version: 1)
        #expect(handshake.errorCode == .unsupportedSaslMechanism && handshake.mechanisms == ["PLAIN"])
        var a = KafkaWireWriter()
        SaslAuthenticateRequest(authBytes: [1, 2]).encode(version: 1, into: &a)
        #expect(a.bytes == [0, 0, 0, 2, 1, 2])
        let v0 = try SaslAuthenticateRequest.decodeResponse([0, 58, 0, 3] + Array("bad".utf8) + [0, 0, 0, 0], version: 0)
        #expect(v0.errorCode == .saslAuthenticationFailed && v0.errorMessage == "bad" && v0.authBytes.isEmpty)
        let v1 = try SaslAuthenticateRequest.decodeResponse([0, 0, 255, 255, 0, 0, 0, 1, 9, 0, 0, 0, 0, 0, 0, 3, 232], version: 1)
        #expect(v1.errorCode == .none && v1.errorMessage == nil && v1.authBytes == [9] && v1.sessionLifetimeMs == 1000)
        #expect(throws: KafkaWireError.self) { try SaslAuthenticateRequest.decodeResponse([0, 0, 255, 255, 0, 0, 0, 9], version: 0) }
    }

    @Test func securityFromWorkerSettings() throws {
        #expect(try KafkaWireSecurity(librdkafka: [:]) == .plaintext)
        let ssl = try KafkaWireSecurity(librdkafka: ["security.protocol": "ssl", "ssl.ca.location": "/ca.pem", "ssl.endpoint.identification.algorithm": "none"])
        #expect(ssl.protocolName == "SSL" && ssl.sasl == nil && ssl.tls?.caLocation == "/ca.pem" && ssl.tls?.verifyHostname == false)
        let scram = try KafkaWireSecurity(librdkafka: [
            "security.protocol": "sasl_ssl", "sasl.mechanisms": "SCRAM-SHA-512", "sasl.username": "u", "sasl.password": "p",
        ])
        #expect(scram.protocolName == "SASL_SSL" && scram.sasl == .scram(.sha512, username: "u", password: "p"))
        #expect(scram.tls?.verifyHostname == true && scram.tls?.verifyCertificate == true)
        let plain = try KafkaWireSecurity(librdkafka: ["security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "plain", "sasl.username": "u", "sasl.password": ""])
        #expect(plain.sasl == .plain(username: "u", password: "") && plain.tls == nil)
        func error(_ c: [String: String]) -> String {
            do { _ = try KafkaWireSecurity(librdkafka: c); return "accepted" } catch { return "\(error)" }
        }
        #expect(error(["security.protocol": "sasl_ssl", "sasl.mechanisms": "OAUTHBEARER", "sasl.username": "u", "sasl.password": "p"]).contains("not OAUTHBEARER"))
        #expect(error(["security.protocol": "sasl_plaintext", "sasl.username": "u", "sasl.password": "p"]).contains("not GSSAPI"))
        #expect(error(["security.protocol": "sasl_plaintext", "sasl.mechanisms": "PLAIN"]).contains("needs a username and password"))
        #expect(error(["security.protocol": "tls"]).contains("security.protocol"))
        // Descriptions (a configuration interpolated into a log line) never show passwords.
        var tls = KafkaWireSecurity.TLS()
        tls.keyPassword = "key-pw-9"
        tls.keystorePassword = "store-pw-9"
        let secured = KafkaWireSecurity(tls: tls, sasl: .scram(.sha256, username: "u", password: "s3cret-pw"))
        let member = KafkaGroupMember.Configuration(bootstrapServers: "b:9093", groupId: "g", security: secured)
        for text in ["\(secured)", String(reflecting: secured), "\(member)", String(reflecting: member)] {
            #expect(!text.contains("s3cret-pw") && !text.contains("key-pw-9") && !text.contains("store-pw-9"), "\(text)")
        }
        #expect("\(secured)".contains("SASL_SSL SCRAM-SHA-256 user=u"))
        // The password never shows in an error.
        #expect(!error(["security.protocol": "sasl_ssl", "sasl.mechanisms": "GSSAPI", "sasl.username": "u", "sasl.password": "s3cret-pw"]).contains("s3cret-pw"))
    }

    @Test func unusableTrustStoresAreClearErrors() {
        var tls = KafkaWireSecurity.TLS()
        tls.caLocation = "/nonexistent/ca.pem"
        #expect(throws: KafkaWireError.self) { _ = try KafkaTLSContext.make(tls) }
        do { _ = try KafkaTLSContext.make(tls) } catch { #expect("\(error)".contains("ssl.ca.location /nonexistent/ca.pem")) }
    }
}
