import Foundation
import Hummingbird

/// Kafka Connect's resources and the methods each accepts, to answer as JAX-RS does before a handler runs:
/// 405 for a known path with another method, 415 for a body that is not JSON. Hummingbird's router alone answers
/// 404 to both.
enum RouteTable {
    /// Path patterns (`*` = one segment) and their methods, from connect-rest-api.md.
    static let routes: [(pattern: [String], methods: Set<String>)] = [
        ([], ["GET"]),
        (["health"], ["GET"]),
        (["metrics"], ["GET"]),
        (["connectors"], ["GET", "POST"]),
        (["connectors", "*"], ["GET", "DELETE"]),
        (["connectors", "*", "config"], ["GET", "PUT", "PATCH"]),
        (["connectors", "*", "status"], ["GET"]),
        (["connectors", "*", "restart"], ["POST"]),
        (["connectors", "*", "pause"], ["PUT"]),
        (["connectors", "*", "resume"], ["PUT"]),
        (["connectors", "*", "stop"], ["PUT"]),
        (["connectors", "*", "tasks"], ["GET", "POST"]),
        (["connectors", "*", "fence"], ["PUT"]),
        (["connectors", "*", "tasks-config"], ["GET"]),
        (["connectors", "*", "tasks", "*", "status"], ["GET"]),
        (["connectors", "*", "tasks", "*", "restart"], ["POST"]),
        (["connectors", "*", "topics"], ["GET"]),
        (["connectors", "*", "topics", "reset"], ["PUT"]),
        (["connectors", "*", "offsets"], ["GET", "PATCH", "DELETE"]),
        (["connector-plugins"], ["GET"]),
        (["connector-plugins", "*", "config"], ["GET"]),
        (["connector-plugins", "*", "config", "validate"], ["PUT"]),
        (["admin", "loggers"], ["GET"]),
        (["admin", "loggers", "*"], ["GET", "PUT"]),
    ]

    /// The methods of the resource `path` names, or nil when no resource does (the router's 404 stands).
    static func methods(for path: String) -> Set<String>? {
        let segments = path.split(separator: "/").map(String.init)
        var found: Set<String>?
        for r in routes where r.pattern.count == segments.count {
            if zip(r.pattern, segments).allSatisfy({ $0.0 == "*" || $0.0 == $0.1 }) {
                // A literal match beats a wildcard one (`connectors/x/tasks` vs nothing shorter), so collect them all.
                found = (found ?? []).union(r.methods)
            }
        }
        return found
    }

    /// Resources declared `@Consumes(APPLICATION_JSON)` in Kafka: everything but `/`, `/health` and `/metrics`.
    static func consumesJSON(_ path: String) -> Bool {
        let first = path.split(separator: "/").first.map(String.init) ?? ""
        return first == "connectors" || first == "connector-plugins" || first == "admin"
    }

    /// Whether a Content-Type is JSON as JAX-RS matches it (`application/json`, parameters allowed).
    static func isJSON(_ contentType: String) -> Bool {
        let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return media == "application/json" || media == "application/*" || media == "*/*"
    }

    /// The error a JAX-RS server gives before reaching a handler, if any: 405 or 415.
    static func preflight(_ request: Request) -> RestError? {
        let path = request.uri.path
        guard let methods = methods(for: path) else { return nil }
        if !methods.contains(request.method.rawValue) {
            if request.method == .head && methods.contains("GET") { return nil }
            return RestError(405, "HTTP 405 Method Not Allowed", routing: true)
        }
        guard consumesJSON(path) else { return nil }
        if let ct = request.headers[.contentType] {
            if !isJSON(ct) { return RestError(415, "HTTP 415 Unsupported Media Type", routing: true) }
        } else if let len = request.headers[.contentLength].flatMap({ Int($0) }), len > 0 {
            // A body without a type is application/octet-stream to JAX-RS.
            return RestError(415, "HTTP 415 Unsupported Media Type", routing: true)
        } else if request.headers[.transferEncoding] != nil {
            return RestError(415, "HTTP 415 Unsupported Media Type", routing: true)
        }
        return nil
    }
}
