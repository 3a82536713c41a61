import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Helpers shared by every test target: free ports, child processes.
public enum TestSupport {
    /// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it back, release it).
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return Int.random(in: 20_000...60_000) }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Bool in
                bind(fd, p, len) == 0 && getsockname(fd, p, &len) == 0
            }
        }
        guard bound else { return Int.random(in: 20_000...60_000) }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// The outcome of `runProcess`: exit status and the combined stdout/stderr text.
    public struct ProcessResult: Sendable {
        public var status: Int32
        public var output: String
        public var succeeded: Bool { status == 0 }
    }

    /// Runs `executable` with `arguments` to completion, capturing stdout and stderr together.
    ///
    /// Built on posix_spawn + waitpid with output going to a temporary file, not Foundation's `Process` and a pipe:
    /// commands like `pg_ctl start` leave a daemon behind that inherits the child's descriptors, and `Process`
    /// (which watches a descriptor the child inherits) would then wait for the daemon instead of the command.
    public static func runProcess(
        _ executable: String, _ arguments: [String] = [], environment: [String: String]? = nil,
        currentDirectory: String? = nil
    ) throws -> ProcessResult {
        var outputPath = Array((NSTemporaryDirectory() + "/sluice-proc.XXXXXX").utf8CString)
        let fd = mkstemp(&outputPath)
        guard fd >= 0 else { throw TestSupportError("mkstemp failed: \(String(cString: strerror(errno)))") }
        close(fd)
        let path = String(decoding: outputPath.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        var command = executable
        var args = arguments
        if let currentDirectory {  // posix_spawn has no portable chdir action: go through the shell
            command = "/bin/sh"
            args = ["-c", "cd \(shellQuote(currentDirectory)) && exec \"$0\" \"$@\"", executable] + arguments
        }
        let pid = try spawn(command, args, environment: environment, stdoutPath: path, stdin: "/dev/null")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw TestSupportError("waitpid(\(executable)) failed: \(String(cString: strerror(errno)))") }
        }
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let output = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return ProcessResult(status: exit, output: output)
    }

    /// Starts `executable` without waiting; stdout and stderr go to `stdoutPath` (appended), stdin from `stdin`.
    /// Returns the child's pid; the caller reaps it with `waitpid` (or lets it outlive the process).
    public static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        stdoutPath: String = "/dev/null", stdin: String = "/dev/null"
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the test process goes to the child: descriptors are not close-on-exec by default, and a
        // long-lived child (socat, a database) holding a listening socket of an in-process server would keep its port
        // bound after that server stopped, so a worker restarted on the same port could not take it over.
        if let closeFrom = closeFromAction { _ = closeFrom(&actions, 3) }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw TestSupportError("cannot start \(executable): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up at run time: the Glibc module does not
    /// export it. nil where it does not exist.
    static let closeFromAction: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// Whether something accepts TCP connections on 127.0.0.1:`port` (a server finished starting).
    public static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Runs a `/bin/sh -c` command line (for `su postgres -c ...`).
    public static func shell(_ command: String) throws -> ProcessResult {
        try runProcess("/bin/sh", ["-c", command])
    }

    /// Quotes a string for a POSIX shell command line.
    public static func shellQuote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Starts a detached watchdog that runs `cleanup` once this process is gone, so servers started by a test run
    /// that crashed or was killed do not outlive it.
    static func watchdog(cleanup: String) {
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(cleanup)"
        _ = try? spawn("/usr/bin/setsid", ["/bin/sh", "-c", script])
    }

    static func makeTemporaryDirectory(_ prefix: String) throws -> String {
        var template = Array((NSTemporaryDirectory() + "/\(prefix).XXXXXX").utf8CString)
        guard let p = mkdtemp(&template) else {
            throw TestSupportError("cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        return String(cString: p)
    }
}

/// A failure of the test environment itself (server binaries missing, server did not start).
public struct TestSupportError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
