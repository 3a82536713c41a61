import Foundation
import Testing
@testable import SQL
import TestSupport

/// TLS and password authentication to real database servers configured to refuse anything else, driven by the
/// `connection.url` parameters JDBC users write (PgJDBC `sslmode`, Connector/J `sslMode` / `useSSL`).
@Suite(.serialized) struct TLSDatabaseTests {
    static let password = "Db-8d2c-tls-password"

    /// A self-signed server certificate for 127.0.0.1 in `dir`.
    static func makeCert(_ dir: String) throws {
        let r = try TestSupport.runProcess("/bin/bash", ["-c", """
            cd \(dir) && openssl req -x509 -newkey rsa:2048 -nodes -keyout server.key -out server.crt -days 2 \
              -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>&1
            """])
        #expect(r.succeeded, "\(r.output)")
    }

    /// PostgreSQL with `hostssl ... scram-sha-256` and `hostnossl ... reject`: TLS and a password, or nothing.
    @Test func postgresRequiresTLSAndScram() throws {
        let tmp = try TemporaryDirectory(prefix: "sluice-pg-tls")
        let dir = tmp.path
        try Self.makeCert(dir)
        let port = TestSupport.freePort()
        let bin = PostgresServer.binDirectory
        let script = """
        set -e
        chmod 755 \(dir); chown -R postgres:postgres \(dir); chmod 600 \(dir)/server.key
        su postgres -s /bin/sh -c '\(bin)/initdb -D \(dir)/data -U postgres -A trust -E UTF8 --locale=C -N >/dev/null'
        printf 'local all all trust\\nhostssl all all 127.0.0.1/32 scram-sha-256\\nhostnossl all all 127.0.0.1/32 reject\\n' > \(dir)/data/pg_hba.conf
        chown postgres \(dir)/data/pg_hba.conf
        su postgres -s /bin/sh -c '\(bin)/pg_ctl -D \(dir)/data -l \(dir)/log -w -t 60 -o "-p \(port) -k \(dir) -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=\(dir)/server.crt -c ssl_key_file=\(dir)/server.key -c password_encryption=scram-sha-256 -c fsync=off" start >/dev/null'
        su postgres -s /bin/sh -c "psql -h \(dir) -p \(port) -U postgres -d postgres -c \\"ALTER USER postgres PASSWORD '\(Self.password)'\\"" >/dev/null
        """
        let started = try TestSupport.runProcess("/bin/bash", ["-c", script])
        defer {
            _ = try? TestSupport.runProcess("/bin/su", ["postgres", "-s", "/bin/sh", "-c", "\(bin)/pg_ctl -D \(dir)/data -m immediate stop"])
            _ = try? TestSupport.runProcess("/bin/rm", ["-rf", dir])
        }
        #expect(started.succeeded, "\(started.output)")
        let base = "jdbc:postgresql://127.0.0.1:\(port)/postgres"

        let c = try Database.connect("\(base)?sslmode=require", user: "postgres", password: Self.password, attempts: 1, backoffMs: 0)
        #expect(try c.queryScalar("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == .text("true"))
        c.close()
        // verify-full checks the chain (the self-signed certificate is its own root) and the host name (SAN IP).
        let verified = try Database.connect("\(base)?sslmode=verify-full&sslrootcert=\(dir)/server.crt", user: "postgres", password: Self.password, attempts: 1, backoffMs: 0)
        verified.close()

        func failure(_ url: String, password: String = Self.password) -> String {
            do { try Database.connect(url, user: "postgres", password: password, attempts: 1, backoffMs: 0).close(); return "connected" } catch { return "\(error)" }
        }
        #expect(failure("\(base)?sslmode=disable").contains("no encryption"), "hostnossl reject")
        let wrong = failure("\(base)?sslmode=require", password: "not-the-password")
        #expect(wrong.contains("password authentication failed") && !wrong.contains("not-the-password"), "\(wrong)")
        // A root that did not sign the server's certificate: verify-ca refuses.
        let other = try TemporaryDirectory(prefix: "sluice-other-ca")
        try Self.makeCert(other.path)
        #expect(failure("\(base)?sslmode=verify-ca&sslrootcert=\(other.path)/server.crt").contains("certificate"))
    }

    /// MariaDB with `require_secure_transport=ON`: Connector/J's `sslMode` / `useSSL` parameters turn TLS on.
    @Test func mariadbRequiresSecureTransport() throws {
        let tmp = try TemporaryDirectory(prefix: "sluice-maria-tls")
        let dir = tmp.path
        try Self.makeCert(dir)
        let install = try TestSupport.runProcess("/usr/bin/mariadb-install-db", [
            "--no-defaults", "--datadir=\(dir)/data", "--user=root", "--auth-root-authentication-method=normal", "--skip-test-db"])
        #expect(install.succeeded, "\(install.output.suffix(500))")
        let port = TestSupport.freePort()
        let pid = try TestSupport.spawn(MariaDBServer.serverBinary, [
            "--no-defaults", "--datadir=\(dir)/data", "--user=root", "--port=\(port)", "--bind-address=127.0.0.1",
            "--socket=\(dir)/sock", "--pid-file=\(dir)/pid", "--log-error=\(dir)/err.log",
            "--ssl-cert=\(dir)/server.crt", "--ssl-key=\(dir)/server.key", "--require-secure-transport=ON",
        ], stdoutPath: dir + "/stdout.log")
        defer {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            _ = try? TestSupport.runProcess("/bin/rm", ["-rf", dir])
        }
        var ready = false
        for _ in 0..<300 where !ready {
            ready = (try? TestSupport.runProcess("/usr/bin/mariadb", ["--no-defaults", "--socket=\(dir)/sock", "-uroot", "-e",
                "CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY '\(Self.password)'; GRANT ALL ON *.* TO 'app'@'%'; CREATE USER IF NOT EXISTS 'app'@'localhost' IDENTIFIED BY '\(Self.password)'; GRANT ALL ON *.* TO 'app'@'localhost'"]))?.succeeded == true
            if !ready { usleep(100_000) }
        }
        #expect(ready, "mariadbd did not start: \((try? String(contentsOfFile: dir + "/err.log", encoding: .utf8))?.suffix(1000) ?? "")")
        let base = "jdbc:mysql://127.0.0.1:\(port)/mysql"
        func cipher(_ params: String) throws -> String {
            let c = try Database.connect("\(base)?\(params)", user: "app", password: Self.password, attempts: 1, backoffMs: 0)
            defer { c.close() }
            let r = try c.queryAll("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
            guard let row = r.rows.first, row.count > 1, case .text(let cipher) = row[1] else { return "" }
            return cipher
        }
        for params in ["sslMode=REQUIRED", "useSSL=true", "sslMode=trust", "sslMode=VERIFY_IDENTITY&serverSslCert=\(dir)/server.crt"] {
            #expect(try !cipher(params).isEmpty, "\(params): a TLS cipher is in use")
        }
        func failure(_ params: String) -> String {
            do { _ = try cipher(params); return "connected" } catch { return "\(error)" }
        }
        let plain = failure("sslMode=DISABLED")
        // MariaDB 10.11 answers a plain connection under require_secure_transport with 1045 (access denied); the same
        // user and password connect above over TLS, so the refusal is the transport's.
        #expect(plain != "connected" && (plain.contains("1045") || plain.contains("insecure transport")), "\(plain)")
        #expect(!plain.contains(Self.password))
        #expect(failure("sslMode=BOGUS").contains("sslMode=BOGUS"))
        #expect(try MariaDBTLS.settings(["useSSL": "true", "serverSslCert": "/ca.pem"]) == MariaDBTLS(verifyServer: true, ca: "/ca.pem"))
        #expect(try MariaDBTLS.settings(["useSSL": "true"]) == MariaDBTLS(verifyServer: false))
        #expect(try MariaDBTLS.settings(["sslMode": "PREFERRED"]) == nil)
    }
}
