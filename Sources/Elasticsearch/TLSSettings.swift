import Foundation
import SluiceAPI

/// The sink's TLS settings, from Confluent's `elastic.security.protocol` and `elastic.https.ssl.*` keys.
///
/// As in the original, TLS is used when any `connection.url` is `https:`; the `elastic.https.ssl.*` stores only
/// apply when `elastic.security.protocol=SSL` (otherwise the system's CA certificates are trusted, as the JVM's
/// default trust store would be). Store files are recognised by their content, not by the `*.type` keys: a Java 9+
/// "JKS" default store is really PKCS#12, so the key's JKS default must not stop a working file. A real JKS file
/// (magic `FEEDFEED`) cannot be read outside the JVM and gets an error that says how to convert it.
struct TLSSettings: Sendable, Equatable {
    struct Store: Sendable, Equatable {
        var key: String
        var location: String
        var password: String?
    }

    /// At least one URL is https.
    var enabled: Bool
    /// CA certificates to trust (PEM bundle or PKCS#12); nil: the system's.
    var truststore: Store?
    /// Client certificate and key (PEM with both, or PKCS#12), for servers that require client certificates.
    var keystore: Store?
    /// Password of an encrypted private key inside the key store (`elastic.https.ssl.key.password`).
    var keyPassword: String?
    /// Lowest and highest enabled protocol, e.g. ("TLSv1.2", "TLSv1.3").
    var minProtocol: String
    var maxProtocol: String
    /// `endpoint.identification.algorithm=https` (the default): the certificate must name the host.
    var verifyHostname: Bool

    static let protocols = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]

    /// Settings for `urls` and the parsed keys; throws naming the key when a value cannot work.
    init(urls: [String], string: (String) -> String?, list: (String) -> [String]) throws {
        enabled = urls.contains { $0.lowercased().hasPrefix("https:") }
        let ssl = (string("elastic.security.protocol") ?? "PLAINTEXT").uppercased() == "SSL"
        func store(_ prefix: String) -> Store? {
            guard ssl, let loc = string("elastic.https.ssl.\(prefix).location"), !loc.isEmpty else { return nil }
            let pw = string("elastic.https.ssl.\(prefix).password")
            return Store(key: "elastic.https.ssl.\(prefix).location", location: loc, password: pw?.isEmpty == true ? nil : pw)
        }
        truststore = store("truststore")
        keystore = store("keystore")
        let kp = ssl ? string("elastic.https.ssl.key.password") : nil
        keyPassword = kp?.isEmpty == true ? nil : kp
        let enabledProtocols = ssl ? list("elastic.https.ssl.enabled.protocols").filter { !$0.isEmpty } : []
        let chosen = enabledProtocols.isEmpty ? ["TLSv1.2", "TLSv1.3"] : enabledProtocols
        for p in chosen where !Self.protocols.contains(p) {
            throw ConnectError.invalidConfig("elastic.https.ssl.enabled.protocols", chosen.joined(separator: ","),
                "unknown protocol \(p) (known: \(Self.protocols.joined(separator: ", ")))")
        }
        let ranks = chosen.compactMap { Self.protocols.firstIndex(of: $0) }
        minProtocol = Self.protocols[ranks.min() ?? 2]
        maxProtocol = Self.protocols[ranks.max() ?? 3]
        let algorithm = ssl ? (string("elastic.https.ssl.endpoint.identification.algorithm") ?? "https") : "https"
        verifyHostname = !algorithm.trimmingCharacters(in: .whitespaces).isEmpty
    }

    /// What a store file holds, from its first bytes.
    enum FileKind: Equatable { case pem, pkcs12, jks, unknown }

    static func kind(of bytes: [UInt8]) -> FileKind {
        if bytes.starts(with: [0xFE, 0xED, 0xFE, 0xED]) || bytes.starts(with: [0xCE, 0xCE, 0xCE, 0xCE]) { return .jks }
        if bytes.first == 0x30 { return .pkcs12 }  // DER SEQUENCE
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        if head.contains("-----BEGIN ") { return .pem }
        return .unknown
    }

    /// The error for a JKS file: what to run to get a store Sluice (and any non-Java client) can read.
    static func jksMessage(_ location: String) -> String {
        "\(location) is a Java KeyStore (JKS), which only the JVM reads. Convert it once to PKCS#12: keytool -importkeystore "
            + "-srckeystore \(location) -destkeystore store.p12 -deststoretype PKCS12, or export the CA as PEM: keytool "
            + "-exportcert -rfc -alias <alias> -keystore \(location) -file ca.pem"
    }
}
