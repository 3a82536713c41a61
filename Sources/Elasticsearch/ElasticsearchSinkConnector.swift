import BlockingHTTP
import Foundation
import Logging
import SluiceAPI

/// `io.confluent.connect.elasticsearch.ElasticsearchSinkConnector`: Confluent's config keys and defaults, over the
/// REST API that Elasticsearch 7–9 and OpenSearch 1–3 share (`_bulk`, index and mapping calls).
public final class ElasticsearchSinkConnector: SinkConnector, @unchecked Sendable {
    public static let version = "15.0.0"
    private let lock = NSLock()
    private var props: [String: String] = [:]

    public init() {}

    public var configDef: ConfigDef { ElasticsearchSinkConfig.definition }
    public var version: String { Self.version }

    public func start(_ props: [String: String]) throws {
        _ = try ElasticsearchSinkConfig(props)
        lock.withLock { self.props = props }
    }

    /// Every task gets the same config: the runtime spreads topic partitions across them.
    public func taskConfigs(maxTasks: Int) throws -> [[String: String]] {
        let p = lock.withLock { props }
        return Array(repeating: p, count: max(1, maxTasks))
    }

    public func stop() {}

    public func makeTask() -> any SinkTask { ElasticsearchSinkTask() }

    /// The key checks, then (when they pass) `GET /` on the cluster, reported on `connection.url` (or on the
    /// credentials when the cluster refuses them), so an unreachable cluster shows up at validation.
    public func validate(_ props: [String: String]) -> [ConfigValueInfo] {
        var results = configDef.validate(props)
        guard results.allSatisfy({ $0.errors.isEmpty }), let config = try? ElasticsearchSinkConfig(props) else {
            return results
        }
        func add(_ key: String, _ message: String) {
            if let i = results.firstIndex(where: { $0.name == key }) { results[i].errors.append(message) }
        }
        var quiet = config
        quiet.maxRetries = 0
        do {
            let client = try ElasticsearchClient(config: quiet, logger: Logger(label: "sluice.elasticsearch.validate"))
            let r = try client.sendOnce(HTTPRequest(method: "GET", path: "/"))
            if r.status == 401 || r.status == 403 {
                add("connection.username", "The cluster refused the credentials (HTTP \(r.status)).")
            } else if r.status != 200 {
                add("connection.url", "Could not connect to Elasticsearch: HTTP \(r.status): \(ElasticsearchErrors.reason(r.body))")
            } else if let v = try? JSONReader.parse(r.body), let number = v["version"]?["number"]?.stringValue,
                v["version"]?["distribution"]?.stringValue != "opensearch", let major = Int(number.split(separator: ".")[0]),
                major < 7
            {
                add("connection.url",
                    "Connector version \(Self.version) is not compatible with Elasticsearch version \(number). Elasticsearch version must be at least 7.0.0.")
            }
        } catch let e as TLSContext.ConfigError {
            add(e.key, e.message)
        } catch let e as HTTPError {
            add("connection.url", "Could not connect to Elasticsearch at \(config.urls.joined(separator: ",")): \(e.message)")
        } catch {
            add("connection.url", "Could not connect to Elasticsearch: \(error)")
        }
        return results
    }
}
