import SluiceAPI

/// Kafka's `WorkerConfigTransformer` and `AbstractHerder.reverseTransform`: connector configs are stored and shown
/// as posted, with `${provider:...}` placeholders; only the running connector and tasks see resolved values, so a
/// secret read from a file or the environment never reaches the config file/topic or a REST answer.
extension Worker {
    /// Resolves placeholders for a connector or task about to run, and registers the resolved secrets so logs and
    /// traces hide them.
    func resolve(_ raw: [String: String]) throws -> [String: String] {
        let resolved = try providers.resolve(raw)
        Secrets.register(resolved, resolvedFrom: raw)
        return resolved
    }

    /// Task configs as stored: each key the connector config has with a placeholder gets the placeholder back
    /// (connectors copy resolved values into task configs), as Kafka does before writing task configs.
    static func reverseTransform(_ taskConfigs: [[String: String]], raw: [String: String]) -> [[String: String]] {
        let templated = raw.filter { $0.value.contains("${") }
        if templated.isEmpty { return taskConfigs }
        return taskConfigs.map { tc in
            var out = tc
            for (k, r) in templated where tc[k] != nil { out[k] = r }
            return out
        }
    }
}
