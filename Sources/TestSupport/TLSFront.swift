import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An https front for a plain-http test server (osmem-server, the embedded Schema Registry): `socat` terminating TLS
/// with certificates made by `openssl` for the test. With `requireClientCertificate` the front refuses clients
/// without a certificate signed by the test CA, as a server with client authentication `required`.
public final class TLSFront {
    public let port: Int
    public let dir: TemporaryDirectory
    private var pid: pid_t = 0

    /// Files in `dir`: ca.crt (PEM trust), trust.p12 (PKCS#12 trust, password `trust-pw`), client.pem (PEM cert + key),
    /// client.p12 (PKCS#12 key store, password `key-pw`), client-enc.pem (key encrypted with `pem-pw`), fake.jks.
    /// other-ca.crt (a CA that signed nothing here).
    public static func makeCertificates(in dir: TemporaryDirectory) throws {
        let script = """
            set -e
            cd \(dir.path)
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=sluice-test-ca 2>/dev/null
            openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.crt -days 2 -subj /CN=sluice-other-ca 2>/dev/null
            printf 'subjectAltName=DNS:localhost\\n' > server.ext
            openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost 2>/dev/null
            openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile server.ext 2>/dev/null
            cat server.crt server.key > server.pem
            openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /CN=sluice-client 2>/dev/null
            openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 2 2>/dev/null
            cat client.crt client.key > client.pem
            openssl pkey -in client.key -aes256 -passout pass:pem-pw -out client-enc.key
            cat client.crt client-enc.key > client-enc.pem
            openssl pkcs12 -export -in client.crt -inkey client.key -certfile ca.crt -out client.p12 -passout pass:key-pw
            openssl pkcs12 -export -nokeys -in ca.crt -out trust.p12 -passout pass:trust-pw
            printf '\\376\\355\\376\\355\\000\\000\\000\\002' > fake.jks
            """
        let r = try TestSupport.runProcess("/bin/bash", ["-c", script])
        guard r.succeeded else { throw TestSupportError("making test certificates failed: \(r.output)") }
    }

    /// Listens on a free port of 127.0.0.1 and forwards each connection, decrypted, to `127.0.0.1:backendPort`.
    public init(backendPort: Int, dir: TemporaryDirectory, requireClientCertificate: Bool = false) throws {
        port = TestSupport.freePort()
        self.dir = dir
        let verify = requireClientCertificate ? "verify=1,cafile=\(dir.path)/ca.crt" : "verify=0"
        let socat = ["/usr/bin/socat", "/bin/socat"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let socat else { throw TestSupportError("socat is not installed (run scripts/install-deps.sh)") }
        pid = try TestSupport.spawn(socat, [
            "OPENSSL-LISTEN:\(port),bind=127.0.0.1,reuseaddr,fork,cert=\(dir.path)/server.pem,\(verify)",
            "TCP:127.0.0.1:\(backendPort)",
        ], stdoutPath: "\(dir.path)/socat.log")
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if TestSupport.canConnect(port) { return }
            usleep(20_000)
        }
        throw TestSupportError("socat did not listen on \(port): \((try? String(contentsOfFile: "\(dir.path)/socat.log", encoding: .utf8)) ?? "")")
    }

    deinit {
        guard pid > 0 else { return }
        Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// The front's URL; the certificate names `localhost`, so another `host` fails the host name check.
    public func url(host: String = "localhost") -> String { "https://\(host):\(port)" }
    public func path(_ file: String) -> String { "\(dir.path)/\(file)" }
}
