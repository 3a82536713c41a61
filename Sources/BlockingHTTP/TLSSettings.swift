import Foundation
import SluiceAPI

/// A TLS client's settings, from Kafka's client SSL key names under a prefix (`elastic.https.ssl.`,
/// `schema.registry.ssl.`): `truststore.*`, `keystore.*`, `key.password`, `enabled.protocols`, `protocol`,
/// `endpoint.identification.algorithm`.
///
/// TLS is used for the `https:` URLs only; without a trust store the system's CA certificates are trusted, as the
/// JVM's default trust store would be. Store files are recognised by their content, not by the `*.type` keys: a
/// Java 9+ "JKS" default store is really PKCS#12, so the key's JKS default must not stop a working file. A real JKS
/// file (magic `FEEDFEED`) cannot be read outside the JVM and gets an error that says how to convert it.
public struct TLSSettings: Sendable, Equatable {
    /// A store file and the key it was configured on (errors are reported there).
    public struct Store: Sendable, Equatable {
        public var key: String
        public var location: String
        public var password: String?

        public init(key: String, location: String, password: String?) {
            self.key = key
            self.location = location
            self.password = password
        }
    }

    /// The prefix of the keys these settings came from, for messages that tell the user which key to change.
    public var keyPrefix: String
    /// At least one URL is https.
    public var enabled: Bool
    /// CA certificates to trust (PEM bundle or PKCS#12); nil: the system's.
    public var truststore: Store?
    /// Client certificate and key (PEM with both, or PKCS#12), for servers that require client certificates.
    public var keystore: Store?
    /// Password of an encrypted private key inside the key store (`<prefix>key.password`).
    public var keyPassword: String?
    /// Lowest and highest enabled protocol, e.g. ("TLSv1.2", "TLSv1.3").
    public var minProtocol: String
    public var maxProtocol: String
    /// `endpoint.identification.algorithm=https` (the default): the certificate must name the host.
    public var verifyHostname: Bool

    public static let protocols = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]

    /// https with nothing configured: the system's CA certificates, TLS 1.2 or 1.3, host names checked.
    public init(keyPrefix: String) {
        self.keyPrefix = keyPrefix
        enabled = true
        minProtocol = "TLSv1.2"
        maxProtocol = "TLSv1.3"
        verifyHostname = true
    }

    /// Settings for `urls` from the keys under `keyPrefix` (`string`/`list` look a full key up; nil or empty means
    /// unset); throws a config error naming the key when a value cannot work.
    public init(urls: [String], keyPrefix: String, string: (String) -> String?, list: (String) -> [String]) throws {
        self.keyPrefix = keyPrefix
        enabled = urls.contains { $0.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("https:") }
        func value(_ key: String) -> String? { string(keyPrefix + key).flatMap { $0.isEmpty ? nil : $0 } }
        func store(_ kind: String) -> Store? {
            guard let loc = value("\(kind).location") else { return nil }
            return Store(key: "\(keyPrefix)\(kind).location", location: loc, password: value("\(kind).password"))
        }
        truststore = store("truststore")
        keystore = store("keystore")
        keyPassword = value("key.password")
        let listed = list(keyPrefix + "enabled.protocols").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let chosen = listed.isEmpty ? ["TLSv1.2", "TLSv1.3"] : listed
        for p in chosen where !Self.protocols.contains(p) {
            throw ConnectError.invalidConfig(keyPrefix + "enabled.protocols", chosen.joined(separator: ","),
                "unknown protocol \(p) (known: \(Self.protocols.joined(separator: ", ")))")
        }
        var ranks = chosen.compactMap { Self.protocols.firstIndex(of: $0) }
        // `protocol` is the JVM's SSLContext version: nothing newer than it can be negotiated ("TLS" means any).
        if let context = value("protocol"), context.uppercased() != "TLS" {
            guard let cap = Self.protocols.firstIndex(of: context) else {
                throw ConnectError.invalidConfig(keyPrefix + "protocol", context,
                    "unknown protocol (known: TLS, \(Self.protocols.joined(separator: ", ")))")
            }
            ranks = ranks.filter { $0 <= cap }
            if ranks.isEmpty {
                throw ConnectError.invalidConfig(keyPrefix + "protocol", context,
                    "older than every protocol in \(keyPrefix)enabled.protocols (\(chosen.joined(separator: ",")))")
            }
        }
        minProtocol = Self.protocols[ranks.min() ?? 2]
        maxProtocol = Self.protocols[ranks.max() ?? 3]
        let algorithm = string(keyPrefix + "endpoint.identification.algorithm") ?? "https"
        verifyHostname = !algorithm.trimmingCharacters(in: .whitespaces).isEmpty
    }

    /// What a store file holds, from its first bytes.
    public enum FileKind: Equatable, Sendable { case pem, pkcs12, jks, unknown }

    public static func kind(of bytes: [UInt8]) -> FileKind {
        if bytes.starts(with: [0xFE, 0xED, 0xFE, 0xED]) || bytes.starts(with: [0xCE, 0xCE, 0xCE, 0xCE]) { return .jks }
        if bytes.first == 0x30 { return .pkcs12 }  // DER SEQUENCE
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        if head.contains("-----BEGIN ") { return .pem }
        return .unknown
    }

    /// The error for a JKS file: what to run to get a store Sluice (and any non-Java client) can read.
    public static func jksMessage(_ location: String) -> String {
        "\(location) is a Java KeyStore (JKS), which only the JVM reads. Convert it once to PKCS#12: keytool -importkeystore "
            + "-srckeystore \(location) -destkeystore store.p12 -deststoretype PKCS12, or export the CA as PEM: keytool "
            + "-exportcert -rfc -alias <alias> -keystore \(location) -file ca.pem"
    }
}
