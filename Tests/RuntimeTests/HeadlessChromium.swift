import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SluiceAPI

/// Debian's headless Chromium driven over the Chrome DevTools Protocol on a pipe (`--remote-debugging-pipe`:
/// NUL-terminated JSON on fds 3 and 4), so a test can click the console's buttons, read its DOM, collect JavaScript
/// exceptions and take screenshots without a WebSocket client or any package beyond `apt-get install chromium`.
final class HeadlessChromium: @unchecked Sendable {
    enum Failure: Error, CustomStringConvertible {
        case notInstalled, spawn(Int32), protocolError(String), timeout(String)
        var description: String {
            switch self {
            case .notInstalled: "chromium is not installed (scripts/install-deps.sh installs it)"
            case .spawn(let e): "posix_spawn chromium failed: errno \(e)"
            case .protocolError(let m): "DevTools: \(m)"
            case .timeout(let m): "DevTools: timed out: \(m)"
            }
        }
    }

    static func binary() -> String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private let pid: pid_t
    private let toChrome: Int32
    private let fromChrome: FileHandle
    private let lock = NSLock()
    private var buffer: [UInt8] = []
    private var replies: [Int64: JSONValue] = [:]
    private var nextId: Int64 = 1
    private var session: String?
    /// JavaScript exceptions and console/log errors the page reported (CSP violations arrive here too).
    var errors: [String] { lock.withLock { reported } }
    private var reported: [String] = []

    init(userDataDir: String) throws {
        guard let bin = Self.binary() else { throw Failure.notInstalled }
        var a: [Int32] = [0, 0], b: [Int32] = [0, 0]
        guard pipe(&a) == 0, pipe(&b) == 0 else { throw Failure.spawn(errno) }
        for fd in a + b { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // Move the child's ends out of the way of 3 and 4 before dup2-ing them there.
        let childIn = fcntl(a[0], F_DUPFD_CLOEXEC, 200), childOut = fcntl(b[1], F_DUPFD_CLOEXEC, 200)
        close(a[0]); close(b[1])
        var fa = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fa)
        defer { posix_spawn_file_actions_destroy(&fa) }
        posix_spawn_file_actions_adddup2(&fa, childIn, 3)
        posix_spawn_file_actions_adddup2(&fa, childOut, 4)
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0)
        let args = [bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--no-default-browser-check", "--remote-debugging-pipe", "--user-data-dir=\(userDataDir)",
                    "--window-size=1280,900", "about:blank"]
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, bin, &fa, nil, &argv, environ)
        close(childIn); close(childOut)
        guard rc == 0 else { throw Failure.spawn(rc) }
        pid = child
        toChrome = a[1]
        fromChrome = FileHandle(fileDescriptor: b[0], closeOnDealloc: true)
        fromChrome.readabilityHandler = { [weak self] h in self?.received(h.availableData) }
    }

    deinit { quit() }

    private var quitted = false

    /// Kills the browser (idempotent: tests call it on every path out).
    func quit() {
        lock.lock()
        let first = !quitted
        quitted = true
        lock.unlock()
        guard first else { return }
        fromChrome.readabilityHandler = nil
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(toChrome)
    }

    private func received(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        buffer.append(contentsOf: data)
        while let end = buffer.firstIndex(of: 0) {
            let msg = Array(buffer[..<end])
            buffer.removeSubrange(...end)
            guard let v = try? JSONReader.parse(msg) else { continue }
            if let id = v["id"]?.int64Value { replies[id] = v; continue }
            switch v["method"]?.stringValue {
            case "Runtime.exceptionThrown":
                let d = v["params"]?["exceptionDetails"]
                reported.append("exception: \(d?["exception"]?["description"]?.stringValue ?? d?["text"]?.stringValue ?? "?")")
            case "Log.entryAdded":
                let e = v["params"]?["entry"]
                if e?["level"]?.stringValue == "error" { reported.append("log: \(e?["text"]?.stringValue ?? "?") \(e?["url"]?.stringValue ?? "")") }
            case "Runtime.consoleAPICalled":
                if v["params"]?["type"]?.stringValue == "error" { reported.append("console.error: \(v["params"]?["args"]?.compactString ?? "")") }
            default: break
            }
        }
    }

    /// Sends one command (to the page session once `open` attached one) and waits for its result.
    @discardableResult
    func send(_ method: String, _ params: JSONObject = [:], browser: Bool = false, timeout: Double = 30) async throws -> JSONValue {
        let (id, session) = lock.withLock { () -> (Int64, String?) in
            nextId += 1
            return (nextId - 1, self.session)
        }
        var msg: JSONObject = ["id": .int(id), "method": .string(method), "params": .object(params)]
        if !browser, let session { msg["sessionId"] = .string(session) }
        let bytes = Array(JSONValue.object(msg).compactString.utf8) + [0]
        let written = bytes.withUnsafeBytes { write(toChrome, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw Failure.protocolError("write to chromium failed (errno \(errno))") }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let reply = lock.withLock { replies.removeValue(forKey: id) }
            if let reply {
                if let e = reply["error"] { throw Failure.protocolError("\(method): \(e.compactString)") }
                return reply["result"] ?? .null
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure.timeout(method)
    }

    /// Opens a page target of 1280×900 and attaches to it; later commands go to that page.
    func open(_ url: String) async throws {
        let target = try await send("Target.createTarget", ["url": .string("about:blank")], browser: true)
        guard let targetId = target["targetId"]?.stringValue else { throw Failure.protocolError("no targetId") }
        let attached = try await send("Target.attachToTarget", ["targetId": .string(targetId), "flatten": .bool(true)], browser: true)
        lock.withLock { session = attached["sessionId"]?.stringValue }
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] { try await send(domain) }
        try await send("Emulation.setDeviceMetricsOverride", ["width": .int(1280), "height": .int(900), "deviceScaleFactor": .int(1), "mobile": .bool(false)])
        try await navigate(url)
    }

    func navigate(_ url: String) async throws {
        try await send("Page.navigate", ["url": .string(url)])
    }

    /// Evaluates JavaScript in the page (awaiting a promise) and returns its JSON value.
    func eval(_ expression: String) async throws -> JSONValue {
        let r = try await send("Runtime.evaluate", ["expression": .string(expression), "awaitPromise": .bool(true), "returnByValue": .bool(true)])
        if let ex = r["exceptionDetails"] { throw Failure.protocolError("evaluate \(expression): \(ex.compactString)") }
        return r["result"]?["value"] ?? .null
    }

    /// Polls a JavaScript condition until it is true.
    func waitFor(_ expression: String, timeout: Double = 20) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? await eval("!!(\(expression))"))?.boolValue == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure.timeout(expression)
    }

    /// Text of the first element matching a CSS selector, or nil.
    func text(_ selector: String) async throws -> String? {
        try await eval("(e => e ? e.textContent : null)(document.querySelector(\(JSONValue.string(selector).compactString)))").stringValue
    }

    func click(_ selector: String) async throws {
        let ok = try await eval("(e => { if (!e) return false; e.click(); return true; })(document.querySelector(\(JSONValue.string(selector).compactString)))")
        guard ok.boolValue == true else { throw Failure.protocolError("no element \(selector) to click") }
    }

    /// Saves a PNG of the viewport.
    func screenshot(to path: String) async throws {
        let r = try await send("Page.captureScreenshot", ["format": .string("png")])
        guard let b64 = r["data"]?.stringValue, let data = Data(base64Encoded: b64) else { throw Failure.protocolError("no screenshot data") }
        try data.write(to: URL(fileURLWithPath: path))
    }
}
