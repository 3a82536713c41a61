import BlockingHTTP
import Foundation
import Logging
import SluiceAPI

/// The cluster as the sink sees it: a list of node URLs tried in turn (failover), basic auth, kept-alive connections
/// shared by the sender threads, and `RetryUtil`'s retries.
///
/// Whole calls are retried on transport errors and on 429/5xx answers, up to `max.retries` more attempts, sleeping a
/// random time in [0, retry.backoff.ms << attempt) (capped at 24 h) as the original does. A failed node is skipped
/// for the next call, so one dead node of three costs one connect timeout, not one per request.
final class ElasticsearchClient: @unchecked Sendable {
    struct Node: Sendable, Hashable {
        var host: String
        var port: Int
        var https: Bool
        var display: String
    }

    let nodes: [Node]
    private let authorization: String?
    /// Built when some URL is https; nil otherwise.
    private let tls: TLSContext?
    private let connectTimeoutMs: Int
    private let readTimeoutMs: Int
    let maxRetries: Int
    let retryBackoffMs: Int
    private let logger: Logger
    private let lock = NSLock()
    private var idle: [Node: [HTTPConnection]] = [:]
    private var preferred = 0

    init(config: ElasticsearchSinkConfig, logger: Logger) throws {
        nodes = try config.urls.map(Self.parseNode)
        if let u = config.username, let p = config.password {
            authorization = "Basic " + Data("\(u):\(p)".utf8).base64EncodedString()
        } else {
            authorization = nil
        }
        tls = config.tls.enabled ? try TLSContext(config.tls) : nil
        connectTimeoutMs = config.connectionTimeoutMs
        readTimeoutMs = config.readTimeoutMs
        maxRetries = config.maxRetries
        retryBackoffMs = config.retryBackoffMs
        self.logger = logger
    }

    /// `host:port`, `http[s]://host[:port][/]`; no scheme means http, no port 9200 (as the original's `HttpHost`).
    static func parseNode(_ url: String) throws -> Node {
        var rest = Substring(url.trimmingCharacters(in: .whitespaces))
        var https = false
        if rest.lowercased().hasPrefix("http://") {
            rest = rest.dropFirst(7)
        } else if rest.lowercased().hasPrefix("https://") {
            rest = rest.dropFirst(8)
            https = true
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }  // never keep credentials
        var host = String(rest)
        var port = 9200
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {  // [::1]:9200
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":"), let p = Int(after.dropFirst()) { port = p }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let p = Int(host[host.index(after: colon)...]), (1...65535).contains(p) else {
                throw ConnectError.invalidConfig("connection.url", url, "the port is not a number between 1 and 65535")
            }
            port = p
            host = String(host[..<colon])
        }
        guard !host.isEmpty else { throw ConnectError.invalidConfig("connection.url", url, "no host name") }
        return Node(host: host, port: port, https: https, display: "\(https ? "https" : "http")://\(host):\(port)")
    }

    /// One attempt on every node in turn, starting at the last one that worked; throws the last transport error.
    func sendOnce(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        var req = request
        if let authorization { req.headers.append(("Authorization", authorization)) }
        let first = lock.withLock { preferred }
        var last = HTTPError(.connect, "no connection.url")
        for i in 0..<nodes.count {
            let idx = (first + i) % nodes.count
            let node = nodes[idx]
            do {
                let r = try send(req, to: node)
                if i > 0 { lock.withLock { preferred = idx } }
                return r
            } catch {
                last = error
                logger.debug("Elasticsearch node \(node.display) failed: \(error.message)")
            }
        }
        return try { () throws(HTTPError) -> HTTPResponse in throw last }()
    }

    /// Sends on an idle kept-alive connection if there is one; a stale one (closed by the server while idle) is
    /// replaced by a fresh connection once, which is safe because nothing was read from it.
    private func send(_ req: HTTPRequest, to node: Node) throws(HTTPError) -> HTTPResponse {
        var reused = true
        var conn: HTTPConnection
        if let c = lock.withLock({ idle[node]?.popLast() }) {
            conn = c
        } else {
            reused = false
            conn = try HTTPConnection.open(host: node.host, port: node.port, connectTimeoutMs: connectTimeoutMs,
                readTimeoutMs: readTimeoutMs, tls: node.https ? tls : nil)
        }
        let response: HTTPResponse
        do {
            response = try conn.send(req)
        } catch {
            guard reused, error.kind == .io else { throw error }
            conn = try HTTPConnection.open(host: node.host, port: node.port, connectTimeoutMs: connectTimeoutMs,
                readTimeoutMs: readTimeoutMs, tls: node.https ? tls : nil)
            response = try conn.send(req)
        }
        if conn.isReusable { lock.withLock { idle[node, default: []].append(conn) } }
        return response
    }

    /// Drops every idle connection (at stop, or after the cluster went away).
    func closeIdle() { lock.withLock { idle.removeAll() } }

    /// `send` with retries on transport errors and 429/5xx; `what` names the call in logs and the final error.
    /// `shouldStop` ends the waiting early (task stopping).
    func execute(_ request: HTTPRequest, what: String, shouldStop: () -> Bool = { false }) throws -> HTTPResponse {
        var attempt = 0
        while true {
            var problem: String
            do {
                let r = try sendOnce(request)
                if r.status != 429 && r.status < 500 { return r }
                problem = "HTTP \(r.status): \(ElasticsearchErrors.reason(r.body))"
            } catch {
                problem = error.message
            }
            if attempt >= maxRetries || shouldStop() {
                throw ConnectError(.connect,
                    "\(what) failed after \(attempt + 1) attempt(s) (max.retries=\(maxRetries)): \(problem)",
                    retriable: false)
            }
            let sleep = Self.backoffMs(attempt: attempt, base: retryBackoffMs)
            logger.warning("\(what) failed (attempt \(attempt + 1) of \(maxRetries + 1)), retrying in \(sleep) ms: \(problem)")
            Self.sleep(ms: sleep, shouldStop: shouldStop)
            attempt += 1
        }
    }

    /// A random wait in [0, base << attempt), capped at 24 h (`RetryUtil.computeRandomRetryWaitTimeInMillis`).
    static func backoffMs(attempt: Int, base: Int) -> Int {
        if base <= 0 { return 0 }
        let cap = 24 * 3600 * 1000
        let shift = min(attempt, 30)
        let (limit, overflow) = base.multipliedReportingOverflow(by: 1 << shift)
        let upper = overflow ? cap : min(limit, cap)
        return upper <= 1 ? 0 : Int.random(in: 0..<upper)
    }

    /// Sleeps in short steps so a stopping task does not wait out a long back-off.
    static func sleep(ms: Int, shouldStop: () -> Bool) {
        var left = ms
        while left > 0 && !shouldStop() {
            let step = min(left, 100)
            usleep(UInt32(step) * 1000)
            left -= step
        }
    }
}
