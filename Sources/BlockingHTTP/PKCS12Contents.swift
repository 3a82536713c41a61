import COpenSSL
import Foundation

/// The parts of a parsed PKCS#12 file; `free()` releases them.
struct PKCS12Contents {
    var key: OpaquePointer?
    var cert: OpaquePointer?
    var chainStack: OpaquePointer?

    init(_ bytes: [UInt8], password: String?, store: TLSSettings.Store) throws(TLSContext.ConfigError) {
        ERR_clear_error()
        let p12: OpaquePointer? = bytes.withUnsafeBufferPointer { buf in
            var p: UnsafePointer<UInt8>? = buf.baseAddress
            return d2i_PKCS12(nil, &p, buf.count)
        }
        guard let p12 else {
            throw TLSContext.configError(store.key, store.location, "not a readable PKCS#12 file: \(TLSContext.lastError())")
        }
        defer { PKCS12_free(p12) }
        guard PKCS12_parse(p12, password ?? "", &key, &cert, &chainStack) == 1 else {
            let key = store.key.replacingOccurrences(of: ".location", with: ".password")
            throw TLSContext.configError(key, "[hidden]",
                "cannot open \(store.location) (wrong password?): \(TLSContext.lastError())")
        }
    }

    var chain: [OpaquePointer] {
        (0..<sluice_x509_stack_count(chainStack)).compactMap { sluice_x509_stack_at(chainStack, $0) }
    }

    func allCertificates() -> [OpaquePointer] { (cert.map { [$0] } ?? []) + chain }

    func free() {
        if let key { EVP_PKEY_free(key) }
        if let cert { X509_free(cert) }
        sluice_x509_stack_free(chainStack)
    }
}
