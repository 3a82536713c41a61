import Foundation
import SQL
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One real MariaDB server per test process, started on first use in a temporary directory on a free port (as root
/// with `--user=root`, row-based binary log on for CDC tests), killed and removed when the process exits.
public final class MariaDBServer: Sendable {
    public static let serverBinary = "/usr/sbin/mariadbd"
    public let host = "127.0.0.1"
    public let port: Int
    public let directory: String
    let pid: Int32

    private static let instance = Mutex<Result<MariaDBServer, TestSupportError>?>(nil)
    private static let stopCommand = Mutex<String?>(nil)

    private init(port: Int, directory: String, pid: Int32) {
        self.port = port
        self.directory = directory
        self.pid = pid
    }

    /// The process-wide server, started on the first call.
    public static func shared() throws -> MariaDBServer {
        try instance.withLock { state in
            if let state { return try state.get() }
            let result: Result<MariaDBServer, TestSupportError>
            do {
                result = .success(try start())
            } catch let e as TestSupportError {
                result = .failure(e)
            } catch {
                result = .failure(TestSupportError("MariaDB test server: \(error)"))
            }
            state = result
            return try result.get()
        }
    }

    static func findInstallDB() -> String? {
        ["/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db", "/usr/scripts/mariadb-install-db"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    private static func start() throws -> MariaDBServer {
        guard FileManager.default.isExecutableFile(atPath: serverBinary), let installDB = findInstallDB() else {
            throw TestSupportError(
                "MariaDB server binaries are missing (\(serverBinary), mariadb-install-db): run scripts/install-deps.sh "
                    + "(apt-get install mariadb-server) before the database tests")
        }
        let dir = try TestSupport.makeTemporaryDirectory("sluice-mariadb")
        let install = try TestSupport.runProcess(
            installDB,
            [
                "--no-defaults", "--datadir=\(dir)/data", "--user=\(getuid() == 0 ? "root" : NSUserName())",
                "--auth-root-authentication-method=normal", "--skip-test-db",
            ])
        guard install.succeeded else {
            throw TestSupportError("mariadb-install-db failed in \(dir) (exit \(install.status)): \(install.output.suffix(2000))")
        }
        var lastError = ""
        for _ in 0..<5 {
            let port = TestSupport.freePort()
            let args = [
                "--no-defaults", "--datadir=\(dir)/data", "--user=root", "--port=\(port)", "--bind-address=127.0.0.1",
                "--socket=\(dir)/sock", "--pid-file=\(dir)/pid", "--log-error=\(dir)/err.log",
                "--log-bin=\(dir)/binlog", "--binlog-format=ROW", "--server-id=1", "--max-connections=500",
                "--innodb-flush-log-at-trx-commit=0", "--innodb-buffer-pool-size=128M", "--innodb-doublewrite=0",
            ]
            let pid = try TestSupport.spawn(serverBinary, args, stdoutPath: dir + "/stdout.log")
            func running() -> Bool {
                var status: Int32 = 0
                return waitpid(pid, &status, WNOHANG) == 0
            }
            let url = "jdbc:mysql://127.0.0.1:\(port)/?user=root"
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline && running() {
                if let c = try? Database.connect(url, attempts: 1, backoffMs: 0) {
                    c.close()
                    let cleanup = "kill -9 \(pid) 2>/dev/null; rm -rf \(TestSupport.shellQuote(dir))"
                    stopCommand.withLock { $0 = cleanup }
                    TestSupport.watchdog(cleanup: cleanup)
                    atexit { MariaDBServer.stopAtExit() }
                    return MariaDBServer(port: port, directory: dir, pid: pid)
                }
                usleep(100_000)
            }
            if running() {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
            let log = (try? String(contentsOfFile: dir + "/err.log", encoding: .utf8)) ?? ""
            lastError = "mariadbd on port \(port) did not become ready: \(log.suffix(2000))"
        }
        throw TestSupportError("MariaDB test server did not start in \(dir): \(lastError)")
    }

    private static func stopAtExit() {
        guard let command = stopCommand.withLock({ $0 }) else { return }
        _ = system(command)
    }

    /// `jdbc:mysql://127.0.0.1:PORT/<db>?user=root`.
    public func url(database: String) -> String { "jdbc:mysql://\(host):\(port)/\(database)?user=root" }

    /// Creates a fresh database (schema) named after `prefix` plus a random suffix, for one test.
    public func createDatabase(prefix: String = "test") throws -> TestDatabase {
        let name = TestDatabase.uniqueName(prefix)
        let admin = try Database.connect(url(database: ""), attempts: 3, backoffMs: 200)
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(admin.dialect.quote(identifier: name)) CHARACTER SET utf8mb4")
        return TestDatabase(url: url(database: name), host: host, port: port, dbname: name)
    }
}
