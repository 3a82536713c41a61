import Foundation
import Testing
import TestSupport
@testable import ConnectCluster

/// The group client's TLS and SASL against a real broker (noida-db, see `NoidaBroker`): a full group join over
/// SASL_PLAINTEXT, and bootstrap requests over TLS (server-verified, mutual) with SASL inside it.
@Suite(.serialized, .enabled(if: NoidaBroker.isAvailable, "needs scripts/reference.sh setup (noida-db), socat and openssl"))
struct SecureBrokerLiveTests {
    static func plain(tls: KafkaWireSecurity.TLS? = nil) -> KafkaWireSecurity {
        KafkaWireSecurity(tls: tls, sasl: .plain(username: "sluice", password: "pw-1"))
    }

    @Test func groupMemberJoinsOverSaslPlaintext() throws {
        let broker = try NoidaBroker()
        defer { broker.stop() }
        let member = KafkaGroupMember(configuration: .init(
            bootstrapServers: "127.0.0.1:\(broker.port)", groupId: "secure-group", clientId: "test", sessionTimeoutMs: 10_000,
            rebalanceTimeoutMs: 10_000, requestTimeoutMs: 15_000, security: Self.plain()))
        defer { member.close() }
        let (join, assignment) = try member.joinAndSync(protocols: [.init(name: "default", metadata: [1])]) { join in
            [join.memberId: Array("mine".utf8)]
        }
        #expect(join.isLeader && join.members.count == 1)
        #expect(assignment == Array("mine".utf8))
        #expect(try member.heartbeat() == .none)
        member.leave()

        // SCRAM is not enabled on noida-db's listener: the broker's refusal (or a server-first-message without the
        // nonce) must stop the connection, never let an unauthenticated session through.
        let scram = KafkaWireSecurity(sasl: .scram(.sha256, username: "sluice", password: "pw-1"))
        do {
            _ = try KafkaBrokerConnection.connect(host: "127.0.0.1", port: broker.port, clientId: "t", timeoutMs: 10_000, security: scram)
            Issue.record("SCRAM against a broker that does not do SCRAM was accepted")
        } catch {
            #expect("\(error)".contains("SCRAM") || "\(error)".contains("SASL"), "\(error)")
            #expect(!"\(error)".contains("pw-1"))
        }
    }

    @Test func bootstrapOverTLSWithSaslAndClientCertificates() throws {
        let broker = try NoidaBroker()
        defer { broker.stop() }
        let tlsPort = try broker.tlsProxy(requireClientCertificate: false)
        var trusting = KafkaWireSecurity.TLS()
        trusting.caLocation = broker.dir.file("ca.crt")
        for host in ["127.0.0.1", "localhost"] {
            let connection = try KafkaBrokerConnection.connect(host: host, port: tlsPort, clientId: "t", timeoutMs: 10_000, security: Self.plain(tls: trusting))
            let found = try connection.send(FindCoordinatorRequest(groupId: "g"), version: 1, timeoutMs: 10_000)
            #expect(found.errorCode == .none && found.port == Int32(broker.port), "FindCoordinator answered through TLS + SASL via \(host)")
            connection.close()
        }
        // Offset queries (KafkaBasedLog) take the same settings.
        let offsets = KafkaOffsetQuery(bootstrapServers: "127.0.0.1:\(tlsPort)", security: KafkaWireSecurity(tls: trusting))
        #expect(try offsets.partitionCount(topic: "__consumer_offsets") ?? 0 > 0)
        offsets.close()

        // A CA that did not sign the server's certificate, or the system roots: refused.
        var foreign = KafkaWireSecurity.TLS()
        foreign.caLocation = broker.dir.file("other.crt")
        for tls in [foreign, KafkaWireSecurity.TLS()] {
            do {
                _ = try KafkaBrokerConnection.connect(host: "127.0.0.1", port: tlsPort, clientId: "t", timeoutMs: 10_000, security: KafkaWireSecurity(tls: tls, sasl: .plain(username: "u", password: "p")))
                Issue.record("a server certificate the trust roots do not vouch for was accepted")
            } catch {
                #expect("\(error)".contains("CERTIFICATE_VERIFY_FAILED"), "\(error)")
            }
        }
        // Verification off (enable.ssl.certificate.verification=false) connects anyway.
        var unverified = foreign
        unverified.verifyCertificate = false
        let loose = try KafkaBrokerConnection.connect(host: "127.0.0.1", port: tlsPort, clientId: "t", timeoutMs: 10_000, security: Self.plain(tls: unverified))
        #expect(try loose.apiVersions(timeoutMs: 10_000).errorCode == .none)
        loose.close()

        // Mutual TLS: with the client certificate the broker is reached, without it the handshake fails.
        let mtlsPort = try broker.tlsProxy(requireClientCertificate: true)
        var withCertificate = trusting
        withCertificate.certificateLocation = broker.dir.file("client.crt")
        withCertificate.keyLocation = broker.dir.file("client.key")
        let mutual = try KafkaBrokerConnection.connect(host: "127.0.0.1", port: mtlsPort, clientId: "t", timeoutMs: 10_000, security: KafkaWireSecurity(tls: withCertificate))
        #expect(try mutual.apiVersions(timeoutMs: 10_000).errorCode == .none)
        mutual.close()
        let anonymous = try KafkaBrokerConnection.connect(host: "127.0.0.1", port: mtlsPort, clientId: "t", timeoutMs: 10_000, security: KafkaWireSecurity(tls: trusting))
        do {
            _ = try anonymous.apiVersions(timeoutMs: 10_000)
            Issue.record("a broker requiring client certificates answered without one")
        } catch {
            #expect("\(error)".contains("closed") || "\(error)".contains("handshake") || "\(error)".contains("CERTIFICATE"), "\(error)")
        }
        anonymous.close()
    }
}
