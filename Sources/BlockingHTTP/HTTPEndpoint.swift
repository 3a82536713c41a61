/// One base URL (`http[s]://[user:pass@]host[:port][/base/path]`) taken apart for `HTTPConnection`.
///
/// The user info is kept apart so it can go into an `Authorization` header and never into a log line: `display` is
/// the URL without it.
public struct HTTPEndpoint: Sendable, Hashable {
    public var https: Bool
    public var host: String
    public var port: Int
    /// The path the URL ends with, without a trailing `/` (`""` for none); request paths are appended to it.
    public var basePath: String
    /// `user:pass` from the URL, percent-decoding left to the caller (as Java's `URL.getUserInfo`).
    public var userInfo: String?

    /// Parses `url`; nil when it is not an http(s) URL with a host and a valid port. Without a port, 80 or 443.
    public init?(_ url: String) {
        var rest = Substring(url.trimmingCharacters(in: " \t"))
        let lower = rest.lowercased()
        if lower.hasPrefix("http://") {
            https = false
            rest = rest.dropFirst(7)
        } else if lower.hasPrefix("https://") {
            https = true
            rest = rest.dropFirst(8)
        } else {
            return nil
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<slash]
        var path = String(rest[slash...])
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
        userInfo = nil
        if let at = authority.lastIndex(of: "@") {
            userInfo = String(authority[..<at])
            authority = authority[authority.index(after: at)...]
        }
        port = https ? 443 : 80
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {  // [::1]:8081
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65535).contains(p) else { return nil }
                port = p
            }
        } else if let colon = authority.lastIndex(of: ":") {
            guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else { return nil }
            port = p
            host = String(authority[..<colon])
        } else {
            host = String(authority)
        }
        if host.isEmpty { host = "127.0.0.1" }  // http://:8081, as a listener is often written
    }

    /// The URL as it may be shown: scheme, host, port and path, no credentials.
    public var display: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(https ? "https" : "http")://\(h):\(port)\(basePath)"
    }

    /// `url` as it may be shown in a message or log: `display` when it parses, else the text after any `@`.
    public static func redacted(_ url: String) -> String {
        if let e = HTTPEndpoint(url) { return e.display }
        guard let at = url.lastIndex(of: "@") else { return url }
        return String(url[url.index(after: at)...])
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
