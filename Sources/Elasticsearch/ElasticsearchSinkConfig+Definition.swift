import SluiceAPI

extension ElasticsearchSinkConfig {
    static let nullBehaviors = ["IGNORE", "DELETE", "FAIL"]
    static let malformedBehaviors = ["IGNORE", "WARN", "FAIL"]
    static let writeMethods = ["INSERT", "UPSERT"]
    static let dataStreamTypes = ["NONE", "LOGS", "METRICS"]

    /// Every key of Confluent's `ElasticsearchSinkConnectorConfig` 14.x/15.x with its default. Keys Sluice accepts but
    /// does not act on (proxy, Kerberos, keystores, external resources) are declared so existing connector JSON
    /// validates; the config check rejects the ones whose absence would change behaviour silently.
    static let definition: ConfigDef = {
        let conn = "Connector", data = "Data Conversion", ds = "Data Stream", sec = "Security", proxy = "Proxy"
        func k(_ name: String, _ type: ConfigType, _ def: String?, _ group: String, _ doc: String,
               _ validator: ConfigValidator? = nil, _ importance: ConfigImportance = .medium,
               recommended: [String] = []) -> ConfigKey
        {
            ConfigKey(name, type, default: .value(def), validator: validator, importance: importance, doc: doc,
                group: group, recommendedValues: recommended)
        }
        var d = ConfigDef([
            ConfigKey("connection.url", .list, default: .required, importance: .high,
                doc: "The comma-separated list of Elasticsearch/OpenSearch HTTP URLs (http://host:9200); a URL without a scheme is http. Tried in turn when a node fails.",
                group: conn, orderInGroup: 1),
            k("connection.username", .string, nil, conn, "The username for basic authentication (with connection.password)."),
            k("connection.password", .password, nil, conn, "The password for basic authentication; never logged."),
            k("batch.size", .int, "2000", conn, "Records per bulk request.", .range(min: 1, max: 1_000_000)),
            k("bulk.size.bytes", .long, "5242880", conn, "Bytes per bulk request (-1: no limit); whichever limit is reached first.", .range(min: -1)),
            k("max.in.flight.requests", .int, "5", conn, "Bulk requests in flight at once.", .range(min: 1, max: 1000)),
            k("max.buffered.records", .int, "20000", conn, "Records buffered (not yet acknowledged) before put blocks.", .range(min: 1)),
            k("linger.ms", .long, "1", conn, "How long a partly filled batch waits for more records.", .range(min: 0, max: 604_800_000)),
            k("flush.timeout.ms", .long, "180000", conn, "How long put and flush wait for buffer space or acknowledgements.", .range(min: 1000)),
            k("flush.synchronously", .boolean, "false", conn, "true: offsets are committed only when nothing is buffered (for topic-renaming SMTs)."),
            k("max.retries", .int, "5", conn, "Retries of a failed request or bulk item before the task fails.", .range(min: 0)),
            k("retry.backoff.ms", .long, "100", conn, "Base of the randomized exponential back-off between retries.", .range(min: 0)),
            k("connection.compression", .boolean, "false", conn, "Accepted; Sluice sends bulk bodies uncompressed."),
            k("max.connection.idle.time.ms", .int, "60000", conn, "Accepted; idle connections are reused until the server closes them.", .range(min: -1)),
            k("connection.timeout.ms", .int, "1000", conn, "Connect timeout per node.", .range(min: 0)),
            k("read.timeout.ms", .int, "3000", conn, "Read timeout of a request.", .range(min: 0)),
            k("log.sensitive.data", .boolean, "false", conn, "Accepted; Sluice never logs document contents."),
            k("key.ignore", .boolean, "false", data, "true: the document id is topic+partition+offset instead of the record key.", nil, .high),
            k("schema.ignore", .boolean, "false", data, "true: no mapping is created; the server maps documents dynamically.", nil, .low),
            k("compact.map.entries", .boolean, "true", data, "Maps with string keys become JSON objects instead of [{key,value}] arrays.", nil, .low),
            k("topic.key.ignore", .list, "", data, "Topics for which key.ignore=true.", nil, .low),
            k("topic.schema.ignore", .list, "", data, "Topics for which schema.ignore=true.", nil, .low),
            k("drop.invalid.message", .boolean, "false", data, "true: records that cannot be converted are reported and skipped.", nil, .low),
            k("behavior.on.null.values", .string, "FAIL", data, "What to do with a null value: IGNORE, DELETE (by key) or FAIL.",
              .oneOf(nullBehaviors, caseInsensitive: true), .low, recommended: nullBehaviors),
            k("behavior.on.malformed.documents", .string, "FAIL", data, "What to do with a document the server rejects as malformed: IGNORE, WARN or FAIL.",
              .oneOf(malformedBehaviors, caseInsensitive: true), .low, recommended: malformedBehaviors),
            k("write.method", .string, "INSERT", data, "INSERT (index) or UPSERT (update with doc_as_upsert).",
              .oneOf(writeMethods, caseInsensitive: true), .low, recommended: writeMethods),
            k("external.version.header", .string, "", data, "A header whose numeric value is the document version instead of the offset.", nil, .low),
            k("use.autogenerated.ids", .boolean, "false", data, "INSERT only: let the server generate ids (at-least-once; duplicates on replay).", nil, .low),
            k("data.stream.type", .string, "NONE", ds, "LOGS or METRICS: write to the data stream <type>-<dataset>-<namespace>.",
              .oneOf(dataStreamTypes, caseInsensitive: true), .low, recommended: dataStreamTypes),
            k("data.stream.dataset", .string, "", ds, "The dataset part of the data stream name.", nil, .low),
            k("data.stream.namespace", .string, "${topic}", ds, "The namespace part of the data stream name; ${topic} is the topic.", nil, .low),
            k("data.stream.timestamp.field", .list, "", ds, "Value fields whose first present one is @timestamp (default: the record timestamp).", nil, .low),
            k("external.resource.usage", .string, "DISABLED", ds, "Accepted; only DISABLED is supported.", nil, .low),
            k("topic.to.external.resource.mapping", .list, "", ds, "Accepted; not supported.", nil, .low),
            k("max.external.resource.mappings", .int, "15", ds, "Accepted; not supported.", nil, .low),
            k("elastic.security.protocol", .string, "PLAINTEXT", sec,
              "SSL: use the elastic.https.ssl.* stores for https URLs (PLAINTEXT: https URLs trust the system's CAs).",
              .oneOf(["PLAINTEXT", "SSL"], caseInsensitive: true)),
            k("elastic.https.ssl.keystore.location", .string, nil, sec,
              "Client certificate and key: a PEM file holding both, or a PKCS#12 store (JKS: convert with keytool).", nil, .low),
            k("elastic.https.ssl.keystore.password", .password, nil, sec, "Password of a PKCS#12 key store.", nil, .low),
            k("elastic.https.ssl.keystore.type", .string, "JKS", sec,
              "Accepted for compatibility; the file's content decides (PEM or PKCS#12).", nil, .low),
            k("elastic.https.ssl.key.password", .password, nil, sec, "Password of an encrypted private key.", nil, .low),
            k("elastic.https.ssl.truststore.location", .string, nil, sec,
              "CA certificates to trust: a PEM bundle or a PKCS#12 store (JKS: convert with keytool).", nil, .low),
            k("elastic.https.ssl.truststore.password", .password, nil, sec, "Password of a PKCS#12 trust store.", nil, .low),
            k("elastic.https.ssl.truststore.type", .string, "JKS", sec,
              "Accepted for compatibility; the file's content decides (PEM or PKCS#12).", nil, .low),
            k("elastic.https.ssl.enabled.protocols", .list, "TLSv1.2,TLSv1.3", sec, "TLS versions the client may use.", nil, .low),
            k("elastic.https.ssl.endpoint.identification.algorithm", .string, "https", sec,
              "https: the server certificate must name the host; empty: no host name check.", nil, .low),
            k("kerberos.user.principal", .string, nil, sec, "Not supported.", nil, .low),
            k("kerberos.keytab.path", .string, nil, sec, "Not supported.", nil, .low),
            k("proxy.host", .string, "", proxy, "Not supported.", nil, .low),
            k("proxy.port", .int, "8080", proxy, "Not supported.", .range(min: 1, max: 65535), .low),
            k("proxy.username", .string, "", proxy, "Not supported.", nil, .low),
            k("proxy.password", .password, nil, proxy, "Not supported.", nil, .low),
        ])
        d.addCrossCheck(crossCheck)
        return d
    }()

    /// The original's `Validator` rules, plus refusals for features Sluice does not implement (so they fail loudly).
    @Sendable static func crossCheck(_ c: ParsedConfig) -> [(key: String, message: String)] {
        var p: [(key: String, message: String)] = []
        let user = c.string("connection.username") ?? "", pass = c.string("connection.password") ?? ""
        if user.isEmpty != pass.isEmpty {
            p.append(("connection.username", "Both connection.username and connection.password must be set, or neither."))
        }
        if c.bool("key.ignore") && !c.list("topic.key.ignore").isEmpty {
            p.append(("topic.key.ignore", "topic.key.ignore can not be set when key.ignore is true."))
        }
        if c.bool("schema.ignore") && !c.list("topic.schema.ignore").isEmpty {
            p.append(("topic.schema.ignore", "topic.schema.ignore can not be set when schema.ignore is true."))
        }
        let batch = c.int("batch.size"), inflight = c.int("max.in.flight.requests"), buffered = c.int("max.buffered.records")
        if buffered < batch * inflight {
            p.append(("max.buffered.records",
                "max.buffered.records (\(buffered)) must be at least batch.size × max.in.flight.requests (\(batch * inflight))."))
        }
        if c.int64("linger.ms") > c.int64("flush.timeout.ms") {
            p.append(("linger.ms", "linger.ms must be less than or equal to flush.timeout.ms."))
        }
        let dsType = (c.string("data.stream.type") ?? "NONE").uppercased(), dataset = c.string("data.stream.dataset") ?? ""
        if (dsType == "NONE") != dataset.isEmpty {
            p.append(("data.stream.type", "Both data.stream.type and data.stream.dataset must be set, or neither."))
        }
        if dsType != "NONE" {
            if (c.string("write.method") ?? "INSERT").uppercased() == "UPSERT" {
                p.append(("write.method", "Upserts are not supported with data streams."))
            }
            if (c.string("behavior.on.null.values") ?? "FAIL").uppercased() == "DELETE" {
                p.append(("behavior.on.null.values", "Deletes are not supported with data streams."))
            }
        } else if !c.list("data.stream.timestamp.field").isEmpty {
            p.append(("data.stream.timestamp.field", "data.stream.timestamp.field is only used with data streams."))
        }
        if c.bool("use.autogenerated.ids") && (c.string("write.method") ?? "INSERT").uppercased() == "UPSERT" {
            p.append(("use.autogenerated.ids", "use.autogenerated.ids is only supported with write.method=INSERT."))
        }
        if (c.string("external.resource.usage") ?? "DISABLED").uppercased() != "DISABLED" {
            p.append(("external.resource.usage", "external.resource.usage is not supported by Sluice yet (only DISABLED)."))
        }
        if !(c.string("proxy.host") ?? "").isEmpty {
            p.append(("proxy.host", "Proxies are not supported by Sluice's Elasticsearch sink yet."))
        }
        if !(c.string("kerberos.user.principal") ?? "").isEmpty || !(c.string("kerberos.keytab.path") ?? "").isEmpty {
            p.append(("kerberos.user.principal", "Kerberos is not supported by Sluice's Elasticsearch sink."))
        }
        return p
    }
}
