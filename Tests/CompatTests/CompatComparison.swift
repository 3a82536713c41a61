import Foundation
import SluiceAPI

/// One side of a comparison: where it listens and what its `worker_id` is, for normalization.
struct CompatSide: Sendable {
    var name: String
    var base: String
    var workerId: String
}

/// Makes two answers comparable: what legitimately differs between two workers (worker id, version, commit,
/// stack traces, timestamps, the installed plugin set) is replaced by placeholders; everything else stays, including
/// key order.
enum CompatNormalizer {
    /// Plugins outside Apache Kafka itself differ by installation (Debezium MySQL in the reference, JDBC/SpoolDir in
    /// Sluice); plugin lists are compared on Kafka's own classes.
    static func isKafkaPlugin(_ v: JSONValue) -> Bool {
        v["class"]?.stringValue?.hasPrefix("org.apache.kafka.") ?? true
    }

    static func normalize(_ reply: CompatReply, _ side: CompatSide, path: String) -> (status: Int, headers: String, body: String) {
        var headers: [String] = []
        if let l = reply.headers["location"] { headers.append("Location: " + l.replacingOccurrences(of: side.base, with: "<base>")) }
        if let c = reply.headers["content-type"] { headers.append("Content-Type: " + c) }
        guard var json = reply.json else { return (reply.status, headers.joined(separator: "; "), reply.raw) }
        json = normalize(json, side, key: nil)
        if path.hasPrefix("/connector-plugins"), !path.contains("/config"), let list = json.arrayValue {
            json = .array(list.filter(isKafkaPlugin))
        }
        if path == "/", var o = json.objectValue {
            if o["version"] != nil { o["version"] = .string("<version>") }
            if o["commit"] != nil { o["commit"] = .string("<commit>") }
            json = .object(o)
        }
        return (reply.status, headers.joined(separator: "; "), json.compactString)
    }

    static func normalize(_ v: JSONValue, _ side: CompatSide, key: String?) -> JSONValue {
        switch v {
        case .object(let o):
            return .object(JSONObject(o.map { m -> (String, JSONValue) in
                switch m.key {
                case "worker_id" where m.value.stringValue == side.workerId: return (m.key, .string("<worker>"))
                case "trace" where m.value.stringValue != nil: return (m.key, .string("<trace>"))
                case "last_modified" where m.value.int64Value != nil: return (m.key, .string("<time>"))
                // Recommended plugin classes: only Apache Kafka's own are common to both installations.
                case "recommended_values": return (m.key, .array((m.value.arrayValue ?? []).filter {
                    !($0.stringValue?.hasPrefix("io.") ?? false) && !($0.stringValue?.hasPrefix("com.") ?? false)
                }))
                default: return (m.key, normalize(m.value, side, key: m.key))
                }
            }))
        case .array(let a): return .array(a.map { normalize($0, side, key: key) })
        default: return v
        }
    }
}

/// The outcome of one check on both sides.
struct CompatResult: Sendable {
    var id: String
    var differences: [String]
    var identical: Bool { differences.isEmpty }
}

/// Compares two normalized answers: status, Location and Content-Type headers, and the body byte for byte after
/// normalization (so JSON key order and message texts count).
enum CompatCompare {
    static func compare(id: String, path: String, reference: CompatReply, refSide: CompatSide,
                        sluice: CompatReply, sluiceSide: CompatSide) -> CompatResult {
        let r = CompatNormalizer.normalize(reference, refSide, path: path)
        let s = CompatNormalizer.normalize(sluice, sluiceSide, path: path)
        var d: [String] = []
        if r.status != s.status { d.append("status: Kafka \(r.status), Sluice \(s.status)") }
        if r.headers != s.headers { d.append("headers: Kafka [\(r.headers)], Sluice [\(s.headers)]") }
        if r.body != s.body { d.append("body:\n    Kafka:  \(r.body)\n    Sluice: \(s.body)") }
        return CompatResult(id: id, differences: d)
    }

    /// Whether two HTTP statuses are in the same class (2xx, 4xx, 5xx): scripts test the class, so even a documented
    /// deviation keeps it.
    static func sameClass(_ a: Int, _ b: Int) -> Bool { a / 100 == b / 100 }
}

/// COMPATIBILITY.md's deviations table: each row's first cell is a check id in backticks. A difference on a listed
/// check is a documented deviation; any other difference fails the suite.
struct Deviations: Sendable {
    var ids: Set<String>

    static var file: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("COMPATIBILITY.md").path
    }

    static func load() throws -> Deviations {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var ids = Set<String>()
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let rest = line.dropFirst(3)
            guard let end = rest.range(of: "` |") else { continue }
            ids.insert(String(rest[..<end.lowerBound]))
        }
        return Deviations(ids: ids)
    }
}

/// Collects results and renders the summary line the README quotes.
final class CompatReport: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var results: [CompatResult] = []
    var failures: [String] = []

    func add(_ r: CompatResult) { lock.lock(); results.append(r); lock.unlock() }

    func evaluate(_ deviations: Deviations) -> (identical: Int, documented: Int, undocumented: [CompatResult]) {
        let identical = results.filter(\.identical).count
        let differing = results.filter { !$0.identical }
        let documented = differing.filter { deviations.ids.contains($0.id) }
        return (identical, documented.count, differing.filter { !deviations.ids.contains($0.id) })
    }
}
