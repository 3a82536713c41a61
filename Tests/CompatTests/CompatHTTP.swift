import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SluiceAPI

/// One REST request as both workers get it, and what came back.
struct CompatRequest: Sendable, CustomStringConvertible {
    var method: String
    var path: String
    var body: String?
    /// Sent when there is a body; `nil` sends none.
    var contentType: String?

    init(_ method: String, _ path: String, _ body: String? = nil, contentType: String? = "application/json") {
        self.method = method
        self.path = path
        self.body = body
        self.contentType = body == nil ? nil : contentType
    }

    /// The check's name in COMPATIBILITY.md: method, path, and the body (and content type when not JSON).
    var description: String {
        var s = "\(method) \(path)"
        if let body { s += " \(body)" }
        if let contentType, contentType != "application/json" { s += " [\(contentType)]" }
        return s
    }
}

struct CompatReply: Sendable {
    var status: Int
    var headers: [String: String]
    var raw: String
    var json: JSONValue? { raw.isEmpty ? nil : try? JSONReader.parse(Array(raw.utf8)) }
}

enum CompatHTTP {
    /// No cookies: each side's raw answer is what gets compared (Kafka Connect never redirects).
    static let session: URLSession = {
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = 90
        c.httpShouldSetCookies = false
        return URLSession(configuration: c)
    }()

    static func send(_ r: CompatRequest, base: String) async throws -> CompatReply {
        var req = URLRequest(url: URL(string: base + r.path)!)
        req.httpMethod = r.method
        req.timeoutInterval = 90
        if let body = r.body {
            req.httpBody = Data(body.utf8)
            if let ct = r.contentType { req.setValue(ct, forHTTPHeaderField: "Content-Type") }
        }
        let (data, resp) = try await session.data(for: req)
        guard let http = resp as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
        return CompatReply(status: http.statusCode, headers: headers, raw: String(decoding: data, as: UTF8.self))
    }
}
