import Foundation
import SluiceAPI

/// The worker's own settings, read from the worker `.properties` file with Kafka Connect's keys and defaults.
public struct WorkerConfig: Sendable {
    public static let definition: ConfigDef = {
        var d = ConfigDef()
        func k(_ n: String, _ t: ConfigType, _ def: ConfigKey.Default, _ doc: String, _ v: ConfigValidator? = nil) {
            d.define(ConfigKey(n, t, default: def, validator: v, importance: .high, doc: doc))
        }
        k("bootstrap.servers", .list, .value("localhost:9092"), "Kafka brokers; `embedded` to start an in-memory Kafka inside the worker (demos and tests only); `none` for direct pipelines: sources hand records to the sinks subscribed to their topics in memory, no Kafka at all (standalone only).")
        k("direct.topic.partitions", .int, .value("1"), "Sluice, bootstrap.servers=none: partitions of a topic a source creates (sink tasks share a topic by partition); topic.creation.default.partitions overrides it per connector.", .range(min: 1))
        k("direct.buffer.max.records", .int, .value("20000"), "Sluice, bootstrap.servers=none: records a topic partition holds that its sinks have not committed; a full partition makes its sources wait.", .range(min: 1))
        k("key.converter", .className, .required, "Converter class for record keys.")
        k("value.converter", .className, .required, "Converter class for record values.")
        k("header.converter", .className, .value("org.apache.kafka.connect.storage.SimpleHeaderConverter"), "Converter class for header values.")
        k("offset.flush.interval.ms", .long, .value("60000"), "How often source offsets are written.", .range(min: 0))
        k("offset.flush.timeout.ms", .long, .value("5000"), "How long to wait for records to be acknowledged before an offset flush gives up for this round.", .range(min: 0))
        k("task.shutdown.graceful.timeout.ms", .long, .value("5000"), "How long to wait for tasks to stop.", .range(min: 0))
        k("plugin.path", .list, .value(nil), "Ignored: every Sluice plugin is built in.")
        k("config.providers", .list, .value(""), "Config providers (`file`, `env`, `directory`) for `${provider:path:key}` placeholders.")
        k("topic.creation.enable", .boolean, .value("true"), "Let source connectors create topics with `topic.creation.*` settings.")
        k("listeners", .list, .value("http://:8083"), "REST listeners.")
        k("rest.advertised.host.name", .string, .value(nil), "Host name other workers and status use for this worker.")
        k("rest.advertised.port", .int, .value(nil), "Port other workers and status use for this worker.")
        k("rest.advertised.listener", .string, .value(nil), "http or https.")
        k("offset.storage.file.filename", .string, .value(nil), "Standalone: file for source offsets (configs created over REST are kept beside it).")
        k("group.id", .string, .value(nil), "Distributed: the Connect cluster's group.")
        k("config.storage.topic", .string, .value(nil), "Distributed: connector configs topic.")
        k("offset.storage.topic", .string, .value(nil), "Distributed: source offsets topic.")
        k("status.storage.topic", .string, .value(nil), "Distributed: status topic.")
        k("offset.storage.partitions", .int, .value("25"), "Distributed: partitions of the offsets topic.", .range(min: 1))
        k("status.storage.partitions", .int, .value("5"), "Distributed: partitions of the status topic.", .range(min: 1))
        k("config.storage.replication.factor", .short, .value("3"), "Replication factor of the config topic (-1 = broker default).")
        k("offset.storage.replication.factor", .short, .value("3"), "Replication factor of the offsets topic.")
        k("status.storage.replication.factor", .short, .value("3"), "Replication factor of the status topic.")
        k("session.timeout.ms", .int, .value("10000"), "Distributed: group session timeout.")
        k("heartbeat.interval.ms", .int, .value("3000"), "Distributed: group heartbeat interval.")
        k("rebalance.timeout.ms", .int, .value("60000"), "Distributed: rebalance timeout.")
        k("scheduled.rebalance.max.delay.ms", .int, .value("10000"), "Distributed: how long a departed worker's work waits before reassignment, so a quickly restarted worker gets its own work back (Kafka: 300000, which leaves tasks UNASSIGNED for 5 minutes; Sluice: 10 s).")
        k("exactly.once.source.support", .string, .value("disabled"), "Not supported yet; only `disabled`.", .oneOf(["disabled", "preparing", "enabled"], caseInsensitive: true))
        k("task.restart.on.failure", .boolean, .value("true"), "Sluice: restart failed tasks automatically with exponential back-off (Kafka Connect never does).")
        k("task.restart.backoff.initial.ms", .long, .value("1000"), "Sluice: first delay before restarting a failed task.", .range(min: 0))
        k("task.restart.backoff.max.ms", .long, .value("60000"), "Sluice: longest delay between automatic restarts.", .range(min: 0))
        k("task.restart.max.attempts", .int, .value("10"), "Sluice: automatic restarts before a task stays FAILED (-1 = forever). Reset once a task runs for a minute.")
        k("embedded.retention.guard.enable", .boolean, .value("true"), "Sluice: with the embedded Kafka (which keeps only 5 MiB / 100,000 batches per partition and silently drops older data), hold this worker's source tasks back while this worker's sink tasks of the same topic have not consumed that much (less one producer batch, counting uncompressed sizes), so no record is dropped unread.")
        k("rest.extension.classes", .list, .value(""), "REST extensions; Sluice supports org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension (HTTP basic auth against a JAAS PropertyFileLoginModule users file).")
        k("java.security.auth.login.config", .string, .value(nil), "Sluice: the JAAS file for basic auth (Kafka reads it from -Djava.security.auth.login.config in KAFKA_OPTS, which Sluice also honours).")
        k("rest.request.max.bytes", .int, .value("10485760"), "Sluice: largest REST request body accepted.")
        return d
    }()

    public let parsed: ParsedConfig

    public init(_ props: [String: String]) throws {
        let resolved = try ConfigProviders(workerProps: props).resolve(props)
        Secrets.register(resolved, resolvedFrom: props)
        parsed = try WorkerConfig.definition.parse(resolved)
    }

    public var props: [String: String] { parsed.originals }
    public var bootstrapServers: String { parsed.list("bootstrap.servers").joined(separator: ",") }
    public var usesEmbeddedKafka: Bool { bootstrapServers.trimmedWS == "embedded" }
    /// `bootstrap.servers=none`: direct pipelines without Kafka (see `DirectBus`).
    public var usesDirectPipelines: Bool { bootstrapServers.trimmedWS.lowercased() == "none" }
    public var offsetFlushIntervalMs: Int64 { parsed.int64("offset.flush.interval.ms") }
    public var offsetFlushTimeoutMs: Int64 { parsed.int64("offset.flush.timeout.ms") }
    public var shutdownTimeoutMs: Int64 { parsed.int64("task.shutdown.graceful.timeout.ms") }
    public var offsetFile: String? { parsed.string("offset.storage.file.filename") }
    public var restartPolicy: RestartPolicy {
        RestartPolicy(
            enabled: parsed.bool("task.restart.on.failure"),
            initialBackoffMs: parsed.int64("task.restart.backoff.initial.ms"),
            maxBackoffMs: parsed.int64("task.restart.backoff.max.ms"),
            maxAttempts: parsed.int("task.restart.max.attempts"))
    }

    /// Host and port the REST server binds, from the first `listeners` entry (`http://host:port`, empty host = all).
    public var listener: (host: String, port: Int) {
        let first = parsed.list("listeners").first ?? "http://:8083"
        var rest = Substring(first)
        if let r = rest.range(of: "://") { rest = rest[r.upperBound...] }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        let host = parts.count > 1 ? String(parts[0]) : ""
        let port = Int(parts.last ?? "8083") ?? 8083
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// The host the first listener names, nil for `http://:8083` (all interfaces).
    var listenerHostName: String? {
        guard let first = parsed.list("listeners").first else { return nil }
        var rest = Substring(first)
        if let r = rest.range(of: "://") { rest = rest[r.upperBound...] }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 1 && !parts[0].isEmpty ? String(parts[0]) : nil
    }

    /// The `worker_id` shown in status, as Kafka's advertised URL: the advertised host, else the listener's host when
    /// it names one, else this machine's host name; and the advertised port, else the REST port.
    public func workerId(boundPort: Int) -> String {
        let listenerHost = listenerHostName
        let host = parsed.string("rest.advertised.host.name").flatMap { $0.isEmpty ? nil : $0 } ?? listenerHost ?? ProcessInfo.processInfo.hostName
        let port = parsed.string("rest.advertised.port").flatMap(Int.init) ?? boundPort
        return "\(host):\(port)"
    }

    /// Settings of the worker's own clients (internal topics, group membership's admin), which Kafka builds from the
    /// worker's top-level `security.protocol`, `sasl.*` and `ssl.*` keys, under the `prefix`ed ones.
    public func internalClientProps(prefix: String) -> [String: String] {
        var out = parsed.originals.filter { $0.key == "security.protocol" || $0.key.hasPrefix("sasl.") || $0.key.hasPrefix("ssl.") }
        out.merge(clientProps(prefix: prefix)) { $1 }
        return out
    }

    /// Client settings for producers/consumers/admin: `bootstrap.servers` plus `producer.` / `consumer.` / `admin.`
    /// prefixed worker keys.
    public func clientProps(prefix: String) -> [String: String] {
        var out = parsed.originals(withPrefix: prefix)
        out["bootstrap.servers"] = bootstrapServers
        return out
    }
}

/// How failed tasks are restarted automatically.
public struct RestartPolicy: Sendable {
    public var enabled: Bool
    public var initialBackoffMs: Int64
    public var maxBackoffMs: Int64
    public var maxAttempts: Int

    /// Delay before restart attempt `n` (1-based): initial × 2^(n-1), capped.
    public func delayMs(attempt: Int) -> Int64 {
        var d = initialBackoffMs
        for _ in 1..<max(1, attempt) {
            d = min(maxBackoffMs, d * 2)
            if d >= maxBackoffMs { break }
        }
        return min(d, maxBackoffMs)
    }

    public func allows(attempt: Int) -> Bool { enabled && (maxAttempts < 0 || attempt <= maxAttempts) }
}
