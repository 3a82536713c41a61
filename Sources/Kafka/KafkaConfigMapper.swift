import CRdKafka

/// Translates Kafka Java client settings (what users put in `worker.properties`, `producer.*`, `consumer.*`,
/// `admin.*` and connector `*.override.*` keys) into librdkafka settings.
///
/// Keys whose meaning is the same pass through; keys spelled differently are renamed; Java-only keys (serializers,
/// interceptors, JKS stores...) are dropped and returned with the reason, so the runtime can log them instead of
/// failing. Any remaining key is kept only if librdkafka accepts it, which also lets users write librdkafka's own keys.
public enum KafkaConfigMapper {
    /// The translated settings and what could not be carried over.
    public struct Mapped: Sendable, Equatable {
        /// librdkafka settings, ready for `KafkaProducer.make` / `KafkaConsumer.make` / `KafkaAdmin.make`.
        public var config: [String: String]
        /// Dropped Java key → why (for a log line).
        public var dropped: [String: String]
    }

    /// Producer settings; adds Connect's defaults `enable.idempotence=true` and `acks=all` when unset.
    public static func producerConfig(fromJava java: [String: String]) -> Mapped {
        var mapped = map(java, role: .producer)
        if mapped.config["enable.idempotence"] == nil { mapped.config["enable.idempotence"] = "true" }
        if mapped.config["acks"] == nil { mapped.config["acks"] = "all" }
        return mapped
    }

    /// Consumer settings; auto-commit is always off (the runtime commits what sinks flushed).
    public static func consumerConfig(fromJava java: [String: String]) -> Mapped {
        var mapped = map(java, role: .consumer)
        mapped.config["enable.auto.commit"] = "false"
        mapped.config["enable.auto.offset.store"] = "false"
        return mapped
    }

    /// Admin-client settings (connection and security only matter).
    public static func adminConfig(fromJava java: [String: String]) -> Mapped {
        map(java, role: .admin)
    }

    enum Role { case producer, consumer, admin }

    /// Java keys librdkafka knows under another name.
    static let renamed: [String: String] = [
        "sasl.mechanism": "sasl.mechanisms",
        "fetch.max.wait.ms": "fetch.wait.max.ms",
        "max.request.size": "message.max.bytes",
        "receive.buffer.bytes": "socket.receive.buffer.bytes",
        "send.buffer.bytes": "socket.send.buffer.bytes",
        "ssl.keystore.location": "ssl.keystore.location",
        "ssl.key.password": "ssl.key.password",
    ]

    /// Java-only keys, with the reason they have no librdkafka equivalent.
    static let javaOnly: [String: String] = [
        "key.serializer": "Sluice serializes with Connect converters",
        "value.serializer": "Sluice serializes with Connect converters",
        "key.deserializer": "Sluice deserializes with Connect converters",
        "value.deserializer": "Sluice deserializes with Connect converters",
        "interceptor.classes": "Java interceptors cannot run in Sluice",
        "partitioner.class": "Java partitioners cannot run in Sluice; use librdkafka's 'partitioner'",
        "metric.reporters": "Java metric reporters cannot run in Sluice; use /metrics",
        "max.block.ms": "Sluice bounds blocking produce calls itself",
        "max.poll.records": "Sluice sizes sink batches itself",
        "exclude.internal.topics": "librdkafka never matches internal topics with patterns",
        "ssl.truststore.password": "librdkafka reads PEM CA files, which have no password",
        "ssl.truststore.type": "only PEM trust stores are supported (as ssl.ca.location)",
        "ssl.keystore.type": "librdkafka reads PKCS#12 key stores (ssl.keystore.location)",
        "ssl.protocol": "librdkafka negotiates the TLS version",
        "ssl.enabled.protocols": "librdkafka negotiates the TLS version",
        "ssl.keymanager.algorithm": "JVM-specific",
        "ssl.trustmanager.algorithm": "JVM-specific",
        "sasl.login.callback.handler.class": "Java callback handlers cannot run in Sluice",
        "sasl.client.callback.handler.class": "Java callback handlers cannot run in Sluice",
        "auto.commit.interval.ms": "auto-commit is off; the runtime commits",
        "enable.auto.commit": "auto-commit is off; the runtime commits",
    ]

    static func map(_ java: [String: String], role: Role) -> Mapped {
        var config: [String: String] = [:]
        var dropped: [String: String] = [:]
        let scratch = rd_kafka_conf_new()
        defer { rd_kafka_conf_destroy(scratch) }
        var errstr = [CChar](repeating: 0, count: 512)
        func accept(_ key: String, _ value: String, from javaKey: String) {
            if rd_kafka_conf_set(scratch, key, value, &errstr, errstr.count) == RD_KAFKA_CONF_OK {
                config[key] = value
            } else {
                dropped[javaKey] = "not accepted by librdkafka: \(cString(errstr))"
            }
        }
        for (key, rawValue) in java.sorted(by: { $0.key < $1.key }) {
            let value = rawValue.trimmingSpaces
            if let reason = javaOnly[key] { dropped[key] = reason; continue }
            switch key {
            case "bootstrap.servers":
                accept(key, value.split(separator: ",").map { String($0).trimmingSpaces }.joined(separator: ","), from: key)
            case "security.protocol":
                accept(key, value.lowercased(), from: key)
            case "compression.type" where value == "none" || value == "producer":
                continue  // librdkafka's default is none; "producer" is a broker/topic-only value
            case "ssl.truststore.location":
                if (java["ssl.truststore.type"] ?? "JKS").uppercased() == "PEM" {
                    accept("ssl.ca.location", value, from: key)
                } else {
                    dropped[key] = "JKS trust stores are not supported; convert to PEM and set ssl.truststore.type=PEM"
                }
            case "ssl.endpoint.identification.algorithm":
                accept(key, value.isEmpty ? "none" : value.lowercased(), from: key)
            case "sasl.jaas.config":
                if let (user, password) = parseJaas(value) {
                    accept("sasl.username", user, from: key)
                    accept("sasl.password", password, from: key)
                } else {
                    dropped[key] = "only PlainLoginModule/ScramLoginModule username/password JAAS configs are translated"
                }
            case "buffer.memory" where role == .producer:
                if let bytes = Int(value) { accept("queue.buffering.max.kbytes", String(max(bytes / 1024, 1)), from: key) }
                else { dropped[key] = "not an integer" }
            case "partition.assignment.strategy":
                let strategies = value.split(separator: ",").compactMap { assignor(String($0).trimmingSpaces) }
                if strategies.isEmpty { dropped[key] = "no librdkafka equivalent for '\(value)'" }
                else { accept(key, strategies.joined(separator: ","), from: key) }
            default:
                accept(renamed[key] ?? key, value, from: key)
            }
        }
        return Mapped(config: config, dropped: dropped)
    }

    /// Java assignor class (or librdkafka name) → librdkafka assignor name.
    static func assignor(_ name: String) -> String? {
        switch name.split(separator: ".").last.map(String.init) ?? name {
        case "RangeAssignor", "range": return "range"
        case "RoundRobinAssignor", "roundrobin": return "roundrobin"
        case "CooperativeStickyAssignor", "cooperative-sticky": return "cooperative-sticky"
        default: return nil
        }
    }

    /// `... username="u" password="p";` from a PLAIN or SCRAM JAAS line.
    static func parseJaas(_ text: String) -> (String, String)? {
        func field(_ name: String) -> String? {
            guard let start = text.firstRange(of: name + "=\"") else { return nil }
            guard let end = text[start.upperBound...].firstIndex(of: "\"") else { return nil }
            return String(text[start.upperBound..<end])
        }
        guard text.contains("PlainLoginModule") || text.contains("ScramLoginModule"),
              let user = field("username"), let password = field("password") else { return nil }
        return (user, password)
    }
}

extension String {
    /// Java properties values may carry stray spaces around commas and ends (no Foundation here).
    var trimmingSpaces: String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
