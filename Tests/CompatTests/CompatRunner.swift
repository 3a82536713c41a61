import Foundation
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// Sends each request to the reference Kafka Connect and to Sluice, in the same order, and records the comparison.
/// Waits (for a connector to reach a state, for a topic to become active) are done on both sides and not compared.
struct CompatRunner: Sendable {
    let reference: CompatSide
    let sluice: CompatSide
    let report: CompatReport
    /// Temporary paths in request bodies, shown as `<dir>` in check ids so COMPATIBILITY.md can name them.
    var dir: String = ""
    /// Generous: on a loaded 2-core machine the JVM can take seconds to start a connector.
    var timeout: Double = 60

    /// Compares one request; `label` tells apart the same request made in different states.
    func check(in label: String? = nil, _ method: String, _ path: String, _ body: String? = nil,
               contentType: String? = "application/json") async throws {
        let r = CompatRequest(method, path, body, contentType: contentType)
        var id = (label.map { "\($0): " } ?? "") + r.description
        if !dir.isEmpty { id = id.replacingOccurrences(of: dir, with: "<dir>") }
        let ref = try await CompatHTTP.send(r, base: reference.base)
        let slu = try await CompatHTTP.send(r, base: sluice.base)
        report.add(CompatCompare.compare(id: id, path: path, reference: ref, refSide: reference, sluice: slu, sluiceSide: sluice))
    }

    /// Sends without comparing (set-up steps whose answers are covered elsewhere).
    func send(_ method: String, _ path: String, _ body: String? = nil) async throws {
        for side in [reference, sluice] { _ = try await CompatHTTP.send(CompatRequest(method, path, body), base: side.base) }
    }

    /// Waits until the connector and all its tasks (at least `tasks`) are in `state` on both sides.
    func wait(_ name: String, _ state: String, tasks: Int = 1) async throws {
        for side in [reference, sluice] {
            try await waitUntil(timeout: timeout, "\(name) \(state) on \(side.name)") {
                guard let s = try? await CompatHTTP.send(CompatRequest("GET", "/connectors/\(name)/status"), base: side.base).json
                else { return false }
                let ts = s["tasks"]?.arrayValue ?? []
                return s["connector"]?["state"]?.stringValue == state && ts.count >= tasks
                    && ts.allSatisfy { $0["state"]?.stringValue == state }
            }
        }
    }

    /// Waits until `connector` reports `topic` as active on both sides.
    func waitTopic(_ name: String, _ topic: String) async throws {
        for side in [reference, sluice] {
            try await waitUntil(timeout: timeout, "\(name) active topic \(topic) on \(side.name)") {
                let t = try? await CompatHTTP.send(CompatRequest("GET", "/connectors/\(name)/topics"), base: side.base).json
                return t?[name]?["topics"]?.arrayValue?.contains(.string(topic)) == true
            }
        }
    }

    /// Waits until `path` answers `body` on both sides (offsets appear once a task committed them).
    func waitBody(_ path: String, where ok: @escaping @Sendable (JSONValue?) -> Bool) async throws {
        for side in [reference, sluice] {
            try await waitUntil(timeout: timeout, "\(path) on \(side.name)") {
                ok(try? await CompatHTTP.send(CompatRequest("GET", path), base: side.base).json)
            }
        }
    }
}
