import COpenSSL
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One TLS client session over a connected blocking socket: the handshake, then reads and writes.
///
/// The socket's `SO_RCVTIMEO`/`SO_SNDTIMEO` (set by `HTTPConnection`) bound every call, handshake included, so a
/// server that accepts TCP but never speaks TLS costs the read timeout, not a hang.
final class TLSSession {
    private let ssl: OpaquePointer
    private let peer: String
    private let readTimeoutMs: Int

    /// Handshakes with `host` on `fd`; the certificate must chain to a trusted CA and, unless hostname
    /// verification is off, name `host`.
    init(context: TLSContext, fd: Int32, host: String, port: Int, readTimeoutMs: Int) throws(HTTPError) {
        peer = "\(host):\(port)"
        self.readTimeoutMs = readTimeoutMs
        guard let ssl = SSL_new(context.ctx) else { throw HTTPError(.connect, "cannot create a TLS session for \(peer)") }
        self.ssl = ssl
        SSL_set_fd(ssl, fd)
        if context.verifyHostname { SSL_set1_host(ssl, host) }
        if !Self.isIPAddress(host) { _ = sluice_ssl_set_sni(ssl, host) }
        ERR_clear_error()
        let rc = SSL_connect(ssl)
        if rc != 1 {  // `deinit` frees `ssl`: self is fully initialised here
            let verify = SSL_get_verify_result(ssl)
            var why = TLSContext.lastError()
            if verify != X509_V_OK, let text = X509_verify_cert_error_string(verify) {
                why = "certificate verify failed: \(String(cString: text))"
                    + (context.verifyHostname && (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH)
                        ? " (the certificate does not name \(host); \(context.keyPrefix)endpoint.identification.algorithm= turns the check off)"
                        : "")
            } else if Self.timedOut(SSL_get_error(ssl, rc)) {
                why = "no TLS answer within \(readTimeoutMs) ms"
            }
            throw HTTPError(.connect, "TLS handshake with \(peer) failed: \(why)")
        }
    }

    deinit { SSL_free(ssl) }

    private static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    private static func timedOut(_ sslError: Int32) -> Bool {
        (sslError == SSL_ERROR_WANT_READ || sslError == SSL_ERROR_WANT_WRITE || sslError == SSL_ERROR_SYSCALL)
            && (errno == EAGAIN || errno == EWOULDBLOCK)
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(HTTPError) {
        var off = 0
        while off < bytes.count {
            ERR_clear_error()
            let n = SSL_write(ssl, bytes.baseAddress! + off, Int32(min(bytes.count - off, Int(Int32.max))))
            if n <= 0 {
                let e = SSL_get_error(ssl, n)
                if Self.timedOut(e) { throw HTTPError(.timeout, "writing to \(peer) timed out") }
                throw HTTPError(.io, "TLS write to \(peer) failed: \(TLSContext.lastError())")
            }
            off += Int(n)
        }
    }

    /// Reads at most `count` bytes; 0 means the peer closed the session.
    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(HTTPError) -> Int {
        ERR_clear_error()
        let n = SSL_read(ssl, buffer, Int32(min(count, Int(Int32.max))))
        if n > 0 { return Int(n) }
        let e = SSL_get_error(ssl, n)
        if e == SSL_ERROR_ZERO_RETURN { return 0 }
        if Self.timedOut(e) { throw HTTPError(.timeout, "no answer from \(peer) within \(readTimeoutMs) ms") }
        if e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 { return 0 }  // EOF without close_notify
        throw HTTPError(.io, "TLS read from \(peer) failed: \(TLSContext.lastError())")
    }

    /// Sends close_notify (best effort) before the socket is closed.
    func shutdown() { _ = SSL_shutdown(ssl) }
}
