import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Forwards a REST request to another worker of the cluster (e.g. a task restart to the worker running the task).
enum RestForwarder {
    static func post(_ url: String) async throws {
        guard let u = URL(string: url) else { throw RestError(500, "Bad worker URL \(url)") }
        var req = URLRequest(url: u)
        req.httpMethod = "POST"
        req.timeoutInterval = 30
        let (data, resp) = try await URLSession.shared.data(for: req)
        let status = (resp as? HTTPURLResponse)?.statusCode ?? 500
        if status >= 300 {
            throw RestError(status, String(decoding: data, as: UTF8.self))
        }
    }
}
