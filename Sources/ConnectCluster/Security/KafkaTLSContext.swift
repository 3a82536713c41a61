import Foundation
import NIOSSL

/// Builds the NIOSSL client context for `KafkaWireSecurity.TLS`; every failure names the key and file involved.
enum KafkaTLSContext {
    static func make(_ tls: KafkaWireSecurity.TLS) throws(KafkaWireError) -> NIOSSLContext {
        var config = TLSConfiguration.makeClientConfiguration()
        config.certificateVerification = !tls.verifyCertificate ? .none : tls.verifyHostname ? .fullVerification : .noHostnameVerification
        do {
            var roots: [NIOSSLCertificate] = []
            if let location = tls.caLocation {
                roots += try step("ssl.ca.location", location) { try NIOSSLCertificate.fromPEMFile(location) }
            }
            if let pem = tls.caPEM {
                roots += try step("ssl.ca.pem", "inline PEM") { try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)) }
            }
            if !roots.isEmpty { config.trustRoots = .certificates(roots) }
            if let keystore = tls.keystoreLocation {
                let bundle = try step("ssl.keystore.location", keystore) {
                    try NIOSSLPKCS12Bundle(file: keystore, passphrase: tls.keystorePassword.map { Array($0.utf8) })
                }
                config.certificateChain = bundle.certificateChain.map { .certificate($0) }
                config.privateKey = .privateKey(bundle.privateKey)
            } else if let certificate = tls.certificateLocation, let key = tls.keyLocation {
                let chain = try step("ssl.certificate.location", certificate) { try NIOSSLCertificate.fromPEMFile(certificate) }
                let privateKey = try step("ssl.key.location", key) { () throws -> NIOSSLPrivateKey in
                    if let password = tls.keyPassword {
                        return try NIOSSLPrivateKey(file: key, format: .pem) { setter in setter(Array(password.utf8)) }
                    }
                    return try NIOSSLPrivateKey(file: key, format: .pem)
                }
                config.certificateChain = chain.map { .certificate($0) }
                config.privateKey = .privateKey(privateKey)
            }
            return try step("TLS", "client context") { try NIOSSLContext(configuration: config) }
        } catch let error as KafkaWireError {
            throw error
        } catch {
            throw .connection("Kafka client TLS: \(error)")
        }
    }

    private static func step<T>(_ key: String, _ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw KafkaWireError.connection("Kafka client TLS: \(key) \(what): \(error)")
        }
    }
}
