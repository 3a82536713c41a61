import Foundation

/// How the distributed worker's own Kafka client (group membership, offset queries) secures its connections:
/// `security.protocol` PLAINTEXT / SSL / SASL_PLAINTEXT / SASL_SSL, SASL PLAIN or SCRAM-SHA-256/512, and TLS trust.
///
/// Read from the same librdkafka settings the worker hands its librdkafka clients (`KafkaConfigMapper`'s output:
/// `security.protocol`, `sasl.mechanisms`, `sasl.username`/`sasl.password` from `sasl.jaas.config`, `ssl.ca.location`
/// from a PEM `ssl.truststore.location`...), so one set of worker keys secures both clients alike.
///
/// Its descriptions (and its SASL settings') never include the password, so a configuration interpolated into a log
/// line or an error cannot leak it.
public struct KafkaWireSecurity: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum SASL: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
        case plain(username: String, password: String)
        case scram(ScramClient.Mechanism, username: String, password: String)

        public var description: String {
            switch self {
            case .plain(let user, _): "PLAIN user=\(user)"
            case .scram(let m, let user, _): "\(m.rawValue) user=\(user)"
            }
        }
        public var debugDescription: String { description }
    }

    public struct TLS: Sendable, Hashable, CustomDebugStringConvertible {
        /// PEM CA bundle file; nil: the system's trust roots.
        public var caLocation: String?
        /// Inline PEM CA certificates (librdkafka's `ssl.ca.pem`).
        public var caPEM: String?
        /// Client certificate (PEM) and key (PEM, optionally encrypted with `keyPassword`), for brokers with
        /// `ssl.client.auth=required`.
        public var certificateLocation: String?
        public var keyLocation: String?
        public var keyPassword: String?
        /// Client certificate as a PKCS#12 key store (librdkafka's `ssl.keystore.location`).
        public var keystoreLocation: String?
        public var keystorePassword: String?
        /// `enable.ssl.certificate.verification=false` turns verification off entirely.
        public var verifyCertificate = true
        /// `ssl.endpoint.identification.algorithm=none` (Java: empty) keeps chain verification but not the host name.
        public var verifyHostname = true

        public init() {}

        /// Without the key and key-store passwords.
        public var debugDescription: String {
            "TLS(ca: \(caLocation ?? "-"), certificate: \(certificateLocation ?? keystoreLocation ?? "-"), verify: \(verifyCertificate), hostname: \(verifyHostname))"
        }
    }

    public var tls: TLS?
    public var sasl: SASL?

    public init(tls: TLS? = nil, sasl: SASL? = nil) {
        self.tls = tls
        self.sasl = sasl
    }

    public static let plaintext = KafkaWireSecurity()

    public var description: String {
        "\(protocolName)" + (sasl.map { " \($0)" } ?? "") + (tls.map { " trust=\($0.caLocation ?? ($0.caPEM != nil ? "inline PEM" : "system roots"))" } ?? "")
    }
    public var debugDescription: String { description }

    /// The `security.protocol` name, for messages.
    public var protocolName: String {
        switch (tls != nil, sasl != nil) {
        case (false, false): "PLAINTEXT"
        case (true, false): "SSL"
        case (false, true): "SASL_PLAINTEXT"
        case (true, true): "SASL_SSL"
        }
    }

    /// Reads librdkafka-style settings. Throws for what this client cannot do (GSSAPI, OAUTHBEARER, a SASL protocol
    /// without credentials), naming the key, so the worker stops with a clear message instead of failing to join.
    public init(librdkafka config: [String: String]) throws(KafkaWireError) {
        func value(_ key: String) -> String? {
            guard let v = config[key]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        let proto = (value("security.protocol") ?? "plaintext").lowercased()
        let useTLS: Bool, useSASL: Bool
        switch proto {
        case "plaintext": (useTLS, useSASL) = (false, false)
        case "ssl": (useTLS, useSASL) = (true, false)
        case "sasl_plaintext": (useTLS, useSASL) = (false, true)
        case "sasl_ssl": (useTLS, useSASL) = (true, true)
        default: throw Self.config("security.protocol", "'\(proto)' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL")
        }
        if useTLS {
            var tls = TLS()
            tls.caLocation = value("ssl.ca.location")
            tls.caPEM = value("ssl.ca.pem")
            tls.certificateLocation = value("ssl.certificate.location")
            tls.keyLocation = value("ssl.key.location")
            tls.keyPassword = value("ssl.key.password")
            tls.keystoreLocation = value("ssl.keystore.location")
            tls.keystorePassword = value("ssl.keystore.password")
            tls.verifyCertificate = (value("enable.ssl.certificate.verification") ?? "true").lowercased() != "false"
            tls.verifyHostname = (value("ssl.endpoint.identification.algorithm") ?? "https").lowercased() != "none"
            self.tls = tls
        }
        if useSASL {
            let mechanism = (value("sasl.mechanisms") ?? value("sasl.mechanism") ?? "GSSAPI").uppercased()
            guard let username = value("sasl.username"), let password = config["sasl.password"] else {
                throw Self.config("sasl.jaas.config", "\(proto.uppercased()) with \(mechanism) needs a username and password (PlainLoginModule or ScramLoginModule in sasl.jaas.config)")
            }
            switch mechanism {
            case "PLAIN": sasl = .plain(username: username, password: password)
            case "SCRAM-SHA-256": sasl = .scram(.sha256, username: username, password: password)
            case "SCRAM-SHA-512": sasl = .scram(.sha512, username: username, password: password)
            default:
                throw Self.config("sasl.mechanism", "distributed group membership supports PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512, not \(mechanism)")
            }
        }
    }

    private static func config(_ key: String, _ reason: String) -> KafkaWireError {
        .connection("Kafka client security: \(key): \(reason)")
    }
}
