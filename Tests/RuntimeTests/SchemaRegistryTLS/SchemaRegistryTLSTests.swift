import BlockingHTTP
import Foundation
import SchemaRegistry
import SluiceAPI
import Testing
import TestSupport

/// The converters' registry client over https: Sluice's registry REST routes behind a `socat` TLS front, reached
/// with Confluent's `schema.registry.ssl.*` keys — PEM and PKCS#12 stores, host name checks, client certificates,
/// basic auth over TLS — and the errors for certificates and stores that cannot work.
@Suite(.serialized) struct SchemaRegistryTLSTests {
    static let orderSchema = SchemaBuilder.struct().name("com.acme.Order").field("id", .int64).field("item", .string).build()
    static let order = Value.structure(Struct(schema: orderSchema, values: [.int64(42), .string("lamp")]))

    static func converter(_ props: [String: String]) throws -> AvroConverter {
        let c = AvroConverter()
        try c.configure(props, isKey: false)
        return c
    }

    /// Writes the order with one converter and reads it back with a fresh one, so the schema is registered and then
    /// fetched by id over the wire. Returns the framed bytes.
    static func roundTrip(_ props: [String: String]) async throws -> [UInt8] {
        try await onThread {
            let bytes = try converter(props).fromConnectData(topic: "orders", headers: nil, schema: orderSchema, value: order)
            guard let bytes else { throw TestSupportError("no bytes") }
            let back = try converter(props).toConnectData(topic: "orders", headers: nil, value: bytes)
            // The read-back schema carries the registry's version, so compare the fields.
            let fields = back.value.structValue
            guard fields?["id"] == .int64(42), fields?["item"] == .string("lamp"), back.schema?.version == 1 else {
                throw TestSupportError("read back \(back.value)")
            }
            return bytes
        }
    }

    /// The error a write fails with (nil: it worked).
    static func failure(_ props: [String: String]) async throws -> ConnectError? {
        try await onThread {
            do {
                _ = try converter(props).fromConnectData(topic: "orders", headers: nil, schema: orderSchema, value: order)
                return nil
            } catch let e as ConnectError {
                return e
            }
        }
    }

    static func fixture(requireClientCertificate: Bool = false, users: [String: String] = [:]) async throws
        -> (RegistryServer, TLSFront)
    {
        let dir = try TemporaryDirectory(prefix: "sluice-sr-tls")
        try TLSFront.makeCertificates(in: dir)
        let registry = try await RegistryServer(users: users)
        let front = try TLSFront(backendPort: registry.port, dir: dir, requireClientCertificate: requireClientCertificate)
        return (registry, front)
    }

    @Test(.timeLimit(.minutes(2))) func pemTrustStoreRegistersAndRoundTrips() async throws {
        let (registry, front) = try await Self.fixture()
        let props = ["schema.registry.url": front.url(), "schema.registry.ssl.truststore.location": front.path("ca.crt"),
                     "schema.registry.ssl.truststore.type": "PEM"]
        let bytes = try await Self.roundTrip(props)
        #expect(Array(bytes.prefix(5)) == [0, 0, 0, 0, 1])  // magic byte + id 1, given by the registry behind TLS
        #expect(try registry.service.latest(subject: "orders-value").schema.contains("com.acme.Order"))
        // Without a trust store the system's CAs are used, and they do not know the test CA.
        let untrusted = try await Self.failure(["schema.registry.url": front.url()])
        #expect(untrusted?.isRetriable == true)
        #expect(untrusted?.message.contains("certificate verify failed") == true, "\(String(describing: untrusted))")
    }

    @Test(.timeLimit(.minutes(2))) func pkcs12TrustStoreWithFailoverFromAnHttpURL() async throws {
        let (registry, front) = try await Self.fixture()
        // The first URL is a dead plain-http one: the client moves on to the https one.
        let props = ["schema.registry.url": "http://127.0.0.1:1,\(front.url())",
                     "schema.registry.ssl.truststore.location": front.path("trust.p12"),
                     "schema.registry.ssl.truststore.password": "trust-pw", "schema.registry.ssl.truststore.type": "PKCS12"]
        _ = try await Self.roundTrip(props)
        #expect(try registry.service.latest(subject: "orders-value").id == 1)
    }

    @Test(.timeLimit(.minutes(2))) func wrongCAIsARetriableErrorNamingTheURL() async throws {
        let (registry, front) = try await Self.fixture()
        let e = try await Self.failure(["schema.registry.url": front.url(),
                                        "schema.registry.ssl.truststore.location": front.path("other-ca.crt")])
        let message = e?.message ?? ""
        #expect(e?.isRetriable == true)
        #expect(message.contains("https://localhost:\(front.port)") && message.contains("certificate verify failed"), "\(message)")
        #expect(throws: (any Error).self) { try registry.service.latest(subject: "orders-value") }  // nothing got through
    }

    @Test(.timeLimit(.minutes(2))) func hostNameMismatchIsRefusedUnlessTheCheckIsOff() async throws {
        let (registry, front) = try await Self.fixture()  // kept: the registry stops when released
        // The certificate names localhost, not 127.0.0.1.
        let byIP = ["schema.registry.url": front.url(host: "127.0.0.1"), "schema.registry.ssl.truststore.location": front.path("ca.crt")]
        let e = try await Self.failure(byIP)
        let message = e?.message ?? ""
        #expect(e?.isRetriable == true)
        #expect(message.contains("does not name 127.0.0.1")
                && message.contains("schema.registry.ssl.endpoint.identification.algorithm="), "\(message)")
        #expect(throws: (any Error).self) { try registry.service.latest(subject: "orders-value") }
        _ = try await Self.roundTrip(byIP.merging(["schema.registry.ssl.endpoint.identification.algorithm": ""]) { $1 })
        #expect(try registry.service.latest(subject: "orders-value").id == 1)
    }

    @Test(.timeLimit(.minutes(2))) func clientCertificateFromAKeyStore() async throws {
        let (registry, front) = try await Self.fixture(requireClientCertificate: true)
        let base = ["schema.registry.url": front.url(), "schema.registry.ssl.truststore.location": front.path("ca.crt")]
        // No client certificate: the front ends the handshake.
        let refused = try await Self.failure(base)
        #expect(refused?.isRetriable == true && refused?.message.contains("TLS") == true, "\(String(describing: refused))")

        _ = try await Self.roundTrip(base.merging(["schema.registry.ssl.keystore.location": front.path("client.p12"),
                                                   "schema.registry.ssl.keystore.password": "key-pw",
                                                   "schema.registry.ssl.keystore.type": "PKCS12"]) { $1 })
        #expect(try registry.service.latest(subject: "orders-value").id == 1)
        // An encrypted PEM key with its key password works too.
        _ = try await Self.roundTrip(base.merging(["schema.registry.ssl.keystore.location": front.path("client-enc.pem"),
                                                   "schema.registry.ssl.keystore.type": "PEM",
                                                   "schema.registry.ssl.key.password": "pem-pw"]) { $1 })
    }

    @Test(.timeLimit(.minutes(2))) func basicAuthOverHTTPS() async throws {
        let (registry, front) = try await Self.fixture(users: ["alice": "Sr-7f3a-secret"])
        let tls = ["schema.registry.url": front.url(), "schema.registry.ssl.truststore.location": front.path("ca.crt")]
        // No credentials: the registry's 401 is its verdict, not an outage.
        let anonymous = try await Self.failure(tls)
        #expect(anonymous?.isRetriable == false && anonymous?.message.contains("401") == true, "\(String(describing: anonymous))")

        _ = try await Self.roundTrip(tls.merging(["basic.auth.credentials.source": "USER_INFO",
                                                  "basic.auth.user.info": "alice:Sr-7f3a-secret"]) { $1 })
        #expect(try registry.service.latest(subject: "orders-value").id == 1)
        // basic.auth.credentials.source=URL (the default): the user info of the https URL.
        let inURL = "https://alice:Sr-7f3a-secret@localhost:\(front.port)"
        _ = try await Self.roundTrip(tls.merging(["schema.registry.url": inURL]) { $1 })
        let wrong = try await Self.failure(tls.merging(["schema.registry.url": "https://alice:nope@localhost:\(front.port)"]) { $1 })
        #expect(wrong != nil && !(wrong?.message.contains("nope") ?? true))
    }

    @Test func storesThatCannotWorkAreConfigErrorsNamingTheKey() throws {
        let dir = try TemporaryDirectory(prefix: "sluice-sr-tls-bad")
        try TLSFront.makeCertificates(in: dir)
        func configureError(_ extra: [String: String]) -> String {
            let props = ["schema.registry.url": "https://localhost:1"].merging(extra) { $1 }
            do {
                _ = try Self.converter(props)
                return ""
            } catch {
                return "\(error)"
            }
        }
        let wrongPassword = configureError(["schema.registry.ssl.truststore.location": dir.file("trust.p12"),
                                            "schema.registry.ssl.truststore.password": "wrong-secret"])
        #expect(wrongPassword.contains("schema.registry.ssl.truststore.password") && wrongPassword.contains("wrong password"), "\(wrongPassword)")
        #expect(!wrongPassword.contains("wrong-secret"))
        let jks = configureError(["schema.registry.ssl.truststore.location": dir.file("fake.jks")])
        #expect(jks.contains("schema.registry.ssl.truststore.location") && jks.contains("keytool -importkeystore"), "\(jks)")
        let missing = configureError(["schema.registry.ssl.keystore.location": dir.file("nope.p12")])
        #expect(missing.contains("schema.registry.ssl.keystore.location") && missing.contains("cannot read"), "\(missing)")
        let wrongKeyPassword = configureError(["schema.registry.ssl.keystore.location": dir.file("client-enc.pem"),
                                               "schema.registry.ssl.key.password": "nope"])
        #expect(wrongKeyPassword.contains("private key") && wrongKeyPassword.contains("schema.registry.ssl.key.password"))
        let badProtocol = configureError(["schema.registry.ssl.enabled.protocols": "SSLv3"])
        #expect(badProtocol.contains("schema.registry.ssl.enabled.protocols"))
        // Stores are only read for https URLs: an http-only list does not need them.
        #expect(configureError(["schema.registry.url": "http://localhost:1", "schema.registry.ssl.truststore.location": dir.file("nope.pem")]).isEmpty)
    }

    @Test func sslPasswordKeysAreHiddenInEveryRegistryConverter() {
        let secrets = ["schema.registry.ssl.truststore.password", "schema.registry.ssl.keystore.password", "schema.registry.ssl.key.password"]
        var props = ["schema.registry.url": "https://registry:8081", "converter.type": "value"]
        for k in secrets { props[k] = "Pw-\(k.count)-secret" }
        for def in [AvroConverter.configDef, ProtobufConverter.configDef, JsonSchemaConverter.configDef] {
            let shown = def.validate(props)
            for k in secrets {
                let info = shown.first { $0.name == k }
                #expect(info?.value == "[hidden]", "\(k): \(String(describing: info?.value))")
                #expect(def.keys.first { $0.name == k }?.type == .password)
            }
            #expect(shown.first { $0.name == "schema.registry.ssl.endpoint.identification.algorithm" }?.value == "https")
        }
    }

    @Test func registryURLsAreTakenApartWithoutLosingCredentials() {
        let e = HTTPEndpoint("https://u:p%40ss@[::1]:8443/base/")
        #expect(e?.https == true && e?.host == "::1" && e?.port == 8443 && e?.basePath == "/base" && e?.userInfo == "u:p%40ss")
        #expect(e?.display == "https://[::1]:8443/base")
        #expect(HTTPEndpoint("http://registry")?.port == 80 && HTTPEndpoint("https://registry")?.port == 443)
        #expect(HTTPEndpoint("registry:8081") == nil && HTTPEndpoint("http://h:99999") == nil)
        #expect(HTTPEndpoint.redacted("https://alice:pw@localhost:1") == "https://localhost:1")
        // A URL that is not http(s) is refused at configure time, not at the first record.
        #expect(throws: ConnectError.self) { try Self.converter(["schema.registry.url": "registry:8081"]) }
    }
}
