import COpenSSL
import Foundation
import SluiceAPI

/// An OpenSSL client context built once from `TLSSettings`: trusted CAs, the client certificate, protocol range and
/// peer verification. Connections make their `TLSSession` from it.
///
/// OpenSSL rather than NIOSSL because the callers use blocking sockets (see `HTTPConnection`); libssl is already in
/// the process through libpq. Building the context reads and checks every store file, so a wrong path, password or
/// format is a config error at validate/configure time naming the key, not a failure per request. Immutable once
/// built, so one context serves every connection and thread.
public final class TLSContext: @unchecked Sendable {
    let ctx: OpaquePointer
    let verifyHostname: Bool
    /// Where the settings came from (`schema.registry.ssl.`...), to name the key that turns a check off.
    let keyPrefix: String

    public init(_ s: TLSSettings) throws(ConfigError) {
        guard let ctx = SSL_CTX_new(TLS_client_method()) else {
            throw ConfigError(key: s.keyPrefix + "protocol", message: "cannot create a TLS context: \(Self.lastError())")
        }
        self.ctx = ctx
        verifyHostname = s.verifyHostname
        keyPrefix = s.keyPrefix
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        _ = sluice_ssl_ctx_set_min_proto(ctx, Self.version(s.minProtocol))
        _ = sluice_ssl_ctx_set_max_proto(ctx, Self.version(s.maxProtocol))
        if let t = s.truststore {
            try loadTrust(t)
        } else if SSL_CTX_set_default_verify_paths(ctx) != 1 {
            throw Self.configError(s.keyPrefix + "truststore.location", "", "cannot load the system's CA certificates: \(Self.lastError())")
        }
        if let k = s.keystore { try loadIdentity(k, keyPassword: s.keyPassword) }
    }

    deinit { SSL_CTX_free(ctx) }

    private static func version(_ name: String) -> Int32 {
        switch name {
        case "TLSv1": return TLS1_VERSION
        case "TLSv1.1": return TLS1_1_VERSION
        case "TLSv1.3": return TLS1_3_VERSION
        default: return TLS1_2_VERSION
        }
    }

    private static func read(_ store: TLSSettings.Store) throws(ConfigError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: store.location) else {
            throw configError(store.key, store.location, "cannot read the file")
        }
        let bytes = [UInt8](data)
        switch TLSSettings.kind(of: bytes) {
        case .jks: throw configError(store.key, "", TLSSettings.jksMessage(store.location))
        case .unknown: throw configError(store.key, store.location, "neither a PEM nor a PKCS#12 file")
        default: return bytes
        }
    }

    /// CA certificates from a PEM bundle or a PKCS#12 store (certificates only, as Java trust stores are).
    private func loadTrust(_ store: TLSSettings.Store) throws(ConfigError) {
        let bytes = try Self.read(store)
        if TLSSettings.kind(of: bytes) == .pem {
            ERR_clear_error()
            guard SSL_CTX_load_verify_locations(ctx, store.location, nil) == 1 else {
                throw Self.configError(store.key, store.location, "no CA certificate could be read: \(Self.lastError())")
            }
            return
        }
        let p12 = try PKCS12Contents(bytes, password: store.password, store: store)
        defer { p12.free() }
        guard let x509Store = SSL_CTX_get_cert_store(ctx) else { return }
        var added = 0
        for cert in p12.allCertificates() where X509_STORE_add_cert(x509Store, cert) == 1 { added += 1 }
        if added == 0 { throw Self.configError(store.key, store.location, "the PKCS#12 store holds no certificate") }
    }

    /// The client certificate (chain) and its private key.
    private func loadIdentity(_ store: TLSSettings.Store, keyPassword: String?) throws(ConfigError) {
        let bytes = try Self.read(store)
        ERR_clear_error()
        if TLSSettings.kind(of: bytes) == .pem {
            let pw = strdup(keyPassword ?? store.password ?? "")
            defer { free(pw) }
            SSL_CTX_set_default_passwd_cb_userdata(ctx, pw)
            defer { SSL_CTX_set_default_passwd_cb_userdata(ctx, nil) }
            guard SSL_CTX_use_certificate_chain_file(ctx, store.location) == 1 else {
                throw Self.configError(store.key, store.location, "no certificate could be read: \(Self.lastError())")
            }
            guard SSL_CTX_use_PrivateKey_file(ctx, store.location, SSL_FILETYPE_PEM) == 1 else {
                throw Self.configError(store.key, store.location,
                    "no private key could be read (wrong \(keyPrefix)key.password?): \(Self.lastError())")
            }
        } else {
            let p12 = try PKCS12Contents(bytes, password: store.password, store: store)
            defer { p12.free() }
            guard let cert = p12.cert, let key = p12.key else {
                throw Self.configError(store.key, store.location, "the PKCS#12 store holds no certificate with a private key")
            }
            guard SSL_CTX_use_certificate(ctx, cert) == 1, SSL_CTX_use_PrivateKey(ctx, key) == 1 else {
                throw Self.configError(store.key, store.location, "cannot use its certificate: \(Self.lastError())")
            }
            for extra in p12.chain { _ = sluice_ssl_ctx_add_chain_cert(ctx, extra) }
        }
        guard SSL_CTX_check_private_key(ctx) == 1 else {
            throw Self.configError(store.key, store.location, "the private key does not match the certificate")
        }
    }

    /// The newest OpenSSL error text (e.g. `certificate verify failed`), emptying the queue.
    static func lastError() -> String {
        var last: UInt = 0
        while case let e = ERR_get_error(), e != 0 { last = e }
        if last == 0 { return "unknown error" }
        var buf = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(last, &buf, buf.count)
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A store or setting that cannot work, with the key to report it on (validate shows it there). Messages never
    /// hold a password.
    public struct ConfigError: Error, Sendable, CustomStringConvertible {
        public var key: String
        public var message: String
        public var description: String { "Invalid value for configuration \(key): \(message)" }
    }

    static func configError(_ key: String, _ value: String, _ why: String) -> ConfigError {
        ConfigError(key: key, message: value.isEmpty || key.hasSuffix(".password") ? why : "\(value): \(why)")
    }
}
