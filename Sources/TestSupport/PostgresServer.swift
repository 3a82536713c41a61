import Foundation
import SQL
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One real PostgreSQL 15 per test process, started on first use in a temporary directory on a free port with
/// logical replication enabled, and stopped (directory removed) when the process exits, even by a crash.
///
/// Each test then takes its own database with `createDatabase(prefix:)`, so tests run in parallel without sharing
/// tables. PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user via `su`.
public final class PostgresServer: Sendable {
    public static let binDirectory = "/usr/lib/postgresql/15/bin"
    public let host = "127.0.0.1"
    public let port: Int
    /// The temporary directory holding `data/`, the log and the Unix socket.
    public let directory: String

    private static let instance = Mutex<Result<PostgresServer, TestSupportError>?>(nil)
    private static let stopCommand = Mutex<String?>(nil)

    private init(port: Int, directory: String) {
        self.port = port
        self.directory = directory
    }

    /// The process-wide server, started on the first call (callers racing on the first call wait for it).
    public static func shared() throws -> PostgresServer {
        try instance.withLock { state in
            if let state { return try state.get() }
            let result: Result<PostgresServer, TestSupportError>
            do {
                result = .success(try start())
            } catch let e as TestSupportError {
                result = .failure(e)
            } catch {
                result = .failure(TestSupportError("PostgreSQL test server: \(error)"))
            }
            state = result
            return try result.get()
        }
    }

    /// Runs a shell command as the `postgres` OS user when we are root (initdb/postgres refuse root).
    static func asPostgres(_ command: String) throws -> TestSupport.ProcessResult {
        if getuid() == 0 { return try TestSupport.runProcess("/bin/su", ["postgres", "-s", "/bin/sh", "-c", command]) }
        return try TestSupport.shell(command)
    }

    private static func start() throws -> PostgresServer {
        let bin = binDirectory
        guard FileManager.default.isExecutableFile(atPath: "\(bin)/initdb"),
            FileManager.default.isExecutableFile(atPath: "\(bin)/pg_ctl")
        else {
            throw TestSupportError(
                "PostgreSQL 15 server binaries are missing (\(bin)/initdb, pg_ctl): run scripts/install-deps.sh "
                    + "(apt-get install postgresql) before the database tests")
        }
        let dir = try TestSupport.makeTemporaryDirectory("sluice-pg")
        let q = TestSupport.shellQuote
        if getuid() == 0 {
            let chown = try TestSupport.runProcess("/bin/chown", ["-R", "postgres:postgres", dir])
            guard chown.succeeded else { throw TestSupportError("chown postgres \(dir) failed: \(chown.output)") }
            chmod(dir, 0o755)
        }
        let initdb = try asPostgres(
            "\(bin)/initdb -D \(q(dir + "/data")) -U postgres -A trust -E UTF8 --locale=C -N")
        guard initdb.succeeded else {
            throw TestSupportError("initdb failed in \(dir) (exit \(initdb.status)): \(initdb.output.suffix(2000))")
        }
        var lastError = ""
        for _ in 0..<5 {
            let port = TestSupport.freePort()
            let options = [
                "-p \(port)", "-k \(dir)", "-c listen_addresses=127.0.0.1", "-c wal_level=logical",
                "-c max_wal_senders=20", "-c max_replication_slots=20", "-c max_connections=300", "-c fsync=off",
                "-c synchronous_commit=off", "-c full_page_writes=off", "-c shared_buffers=64MB",
            ].joined(separator: " ")
            let ctl = try asPostgres(
                "\(bin)/pg_ctl -D \(q(dir + "/data")) -l \(q(dir + "/log")) -w -t 60 -o \(q(options)) start")
            if ctl.succeeded {
                let stop = "\(bin)/pg_ctl -D \(q(dir + "/data")) -m immediate stop"
                let stopAsUser = getuid() == 0 ? "su postgres -s /bin/sh -c \(q(stop))" : stop
                let cleanup = "\(stopAsUser) >/dev/null 2>&1; rm -rf \(q(dir))"
                stopCommand.withLock { $0 = cleanup }
                TestSupport.watchdog(cleanup: cleanup)
                atexit { PostgresServer.stopAtExit() }
                return PostgresServer(port: port, directory: dir)
            }
            let log = (try? String(contentsOfFile: dir + "/log", encoding: .utf8)) ?? ""
            lastError = "pg_ctl start on port \(port) failed: \(ctl.output)\n\(log.suffix(2000))"
        }
        throw TestSupportError("PostgreSQL test server did not start in \(dir): \(lastError)")
    }

    private static func stopAtExit() {
        guard let command = stopCommand.withLock({ $0 }) else { return }
        _ = system(command)
    }

    /// `jdbc:postgresql://127.0.0.1:PORT/<db>?user=postgres`.
    public func url(database: String) -> String { "jdbc:postgresql://\(host):\(port)/\(database)?user=postgres" }

    /// Creates a fresh database named after `prefix` plus a random suffix, for one test.
    public func createDatabase(prefix: String = "test") throws -> TestDatabase {
        let name = TestDatabase.uniqueName(prefix)
        let admin = try Database.connect(url(database: "postgres"), attempts: 3, backoffMs: 200)
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(admin.dialect.quote(identifier: name))")
        return TestDatabase(url: url(database: name), host: host, port: port, dbname: name)
    }
}
