import Foundation
import NIOSSL
import SluiceAPI

/// `listeners=https://host:port` with Kafka Connect's TLS keys: `listeners.https.ssl.*` first, then the worker's
/// plain `ssl.*` keys (Kafka's fallback), for the key store (PKCS#12 or PEM), the trust store (PEM) and
/// `ssl.client.auth` (none / requested / required).
///
/// Java's JKS stores cannot be read outside the JVM: they are recognised by their magic number and refused with the
/// `keytool` command that converts them.
enum RestTLS {
    /// `admin.listeners.https.` (for the admin listener), then `listeners.https.`, then the plain worker key.
    static func setting(_ props: [String: String], _ key: String) -> String? {
        for k in ["admin.listeners.https.\(key)", "listeners.https.\(key)", key] {
            if let v = props[k]?.trimmedWS, !v.isEmpty { return v }
        }
        return nil
    }

    /// The server TLS settings; `admin` reads `admin.listeners.https.*` keys first. `names` is the key prefix error
    /// messages name (the embedded registry's keys are `schema.registry.ssl.*`, mapped onto these).
    static func configuration(_ workerProps: [String: String], admin: Bool = false, names: String = "listeners.https.") throws -> TLSConfiguration {
        let props = admin ? workerProps : workerProps.filter { !$0.key.hasPrefix("admin.listeners.") }
        let (chain, key) = try keyStore(props, names: names)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        let clientAuth = (setting(props, "ssl.client.auth") ?? "none").lowercased()
        switch clientAuth {
        case "none": tls.certificateVerification = .none
        case "requested": tls.certificateVerification = .optionalVerification
        case "required": tls.certificateVerification = .noHostnameVerification
        default: throw ConnectError.invalidConfig("\(names)ssl.client.auth", clientAuth, "String must be one of: required, requested, none")
        }
        if clientAuth != "none" {
            tls.trustRoots = .certificates(try trustStore(props, names: names))
        }
        return tls
    }

    static func keyStore(_ props: [String: String], names: String = "listeners.https.") throws -> ([NIOSSLCertificate], NIOSSLPrivateKey) {
        let password = setting(props, "ssl.keystore.password")
        let keyPassword = setting(props, "ssl.key.password") ?? password
        // Kafka's inline PEM key store: ssl.keystore.key + ssl.keystore.certificate.chain.
        if let inlineKey = setting(props, "ssl.keystore.key"), let inlineChain = setting(props, "ssl.keystore.certificate.chain") {
            return try pem(Array(inlineChain.utf8), Array(inlineKey.utf8), keyPassword: keyPassword, what: "ssl.keystore.key")
        }
        guard let location = setting(props, "ssl.keystore.location") else {
            throw ConnectError(.config, "An https listener needs a key store: set \(names)ssl.keystore.location (PKCS#12 or PEM), or \(names)ssl.keystore.key and \(names)ssl.keystore.certificate.chain")
        }
        guard let data = FileManager.default.contents(atPath: location) else {
            throw ConnectError.invalidConfig("\(names)ssl.keystore.location", location, "cannot read the file")
        }
        let bytes = Array(data)
        switch try kind(bytes, location: location, key: "ssl.keystore.location", names: names) {
        case .pem:
            return try pem(bytes, bytes, keyPassword: keyPassword, what: location)
        case .pkcs12:
            do {
                let bundle = try NIOSSLPKCS12Bundle(buffer: bytes, passphrase: password.map { Array($0.utf8) })
                return (bundle.certificateChain, bundle.privateKey)
            } catch {
                throw ConnectError.invalidConfig("\(names)ssl.keystore.location", location, "cannot open the PKCS#12 key store (wrong ssl.keystore.password?): \(error)")
            }
        }
    }

    static func trustStore(_ props: [String: String], names: String = "listeners.https.") throws -> [NIOSSLCertificate] {
        if let inline = setting(props, "ssl.truststore.certificates") {
            return try NIOSSLCertificate.fromPEMBytes(Array(inline.utf8))
        }
        guard let location = setting(props, "ssl.truststore.location") else {
            throw ConnectError(.config, "ssl.client.auth needs a trust store for client certificates: set \(names)ssl.truststore.location (PEM)")
        }
        guard let data = FileManager.default.contents(atPath: location) else {
            throw ConnectError.invalidConfig("\(names)ssl.truststore.location", location, "cannot read the file")
        }
        let bytes = Array(data)
        guard try kind(bytes, location: location, key: "ssl.truststore.location", names: names) == .pem else {
            throw ConnectError.invalidConfig("\(names)ssl.truststore.location", location,
                "PKCS#12 trust stores are not supported; export the CA certificates as PEM: openssl pkcs12 -in \(location) -nokeys -out ca.pem")
        }
        return try NIOSSLCertificate.fromPEMBytes(bytes)
    }

    enum StoreKind { case pem, pkcs12 }

    /// What a store file holds, by content rather than `ssl.keystore.type` (whose default, JKS, rarely matches files
    /// made for non-Java servers).
    static func kind(_ bytes: [UInt8], location: String, key: String, names: String = "listeners.https.") throws -> StoreKind {
        if bytes.starts(with: [0xFE, 0xED, 0xFE, 0xED]) || bytes.starts(with: [0xCE, 0xCE, 0xCE, 0xCE]) {
            throw ConnectError.invalidConfig("\(names)\(key)", location,
                "this is a Java JKS store, which Sluice cannot read; convert it to PKCS#12 with: keytool -importkeystore -srckeystore \(location) -destkeystore \(location).p12 -deststoretype PKCS12, then point \(key) at the .p12 file")
        }
        if String(decoding: bytes.prefix(4096), as: UTF8.self).contains("-----BEGIN") { return .pem }
        return .pkcs12
    }

    static func pem(_ chainBytes: [UInt8], _ keyBytes: [UInt8], keyPassword: String?, what: String) throws -> ([NIOSSLCertificate], NIOSSLPrivateKey) {
        do {
            let chain = try NIOSSLCertificate.fromPEMBytes(chainBytes)
            guard !chain.isEmpty else { throw ConnectError(.config, "no certificate in \(what)") }
            // Always a callback: without one BoringSSL would prompt on stdin for an encrypted key.
            let key = try NIOSSLPrivateKey(bytes: keyBytes, format: .pem) { (setter: NIOSSLPassphraseSetter<[UInt8]>) in
                setter(Array((keyPassword ?? "").utf8))
            }
            return (chain, key)
        } catch let e as ConnectError {
            throw e
        } catch {
            throw ConnectError(.config, "Cannot read the PEM key store \(what) (a private key and its certificate chain; ssl.key.password for an encrypted key): \(error)")
        }
    }
}
