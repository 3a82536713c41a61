import SluiceAPI
import Synchronization

/// `org.apache.kafka.connect.json.JsonConverter`, byte-compatible with Kafka 3.9: the `{"schema":…,"payload":…}`
/// envelope (or bare payloads with `schemas.enable=false`), Kafka's schema JSON member order, Decimal as base64 or
/// number, Date/Time/Timestamp as integers, and the same error messages.
///
/// Built for throughput: outgoing schema JSON is cached per Schema (identity first, then structure) and copied into
/// the output; incoming schemas are cached by the raw bytes of the `schema` member; payloads are read and written
/// directly between bytes and `Value`s without a JSON tree. Also usable as a header converter, as in Kafka.
public final class JsonConverter: Converter, HeaderConverter, @unchecked Sendable {
    struct State {
        var config = JsonConverterConfig()
        var outgoing = SchemaJSONCache(capacity: 1000)
        var incoming = SchemaBytesCache(capacity: 1000)
        /// Output size of the previous record, to size the next buffer in one allocation.
        var lastSize = 256
    }

    private let state = Mutex(State())

    /// The message Kafka gives when `schemas.enable=true` meets JSON that is not a schema/payload envelope.
    public static let envelopeErrorMessage =
        "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration."

    /// The settings REST `config/validate` and the plugin list show.
    public static let configDef = JsonConverterConfig.configDef

    public init() {}

    /// A converter configured directly (tests, benchmarks, internal topics) without going through properties.
    public init(config: JsonConverterConfig) {
        apply(config)
    }

    /// Applies `key.converter.*` / `value.converter.*` settings (prefix removed); resets the schema caches.
    public func configure(_ configs: [String: String], isKey: Bool) throws {
        apply(try JsonConverterConfig(ConverterConfig.withType(configs, isKey ? .key : .value)))
    }

    /// Configures the converter for header values (`converter.type=header` unless given).
    public func configure(_ configs: [String: String]) throws {
        var c = configs
        if c[ConverterConfig.typeConfig] == nil { c[ConverterConfig.typeConfig] = ConverterType.header.rawValue }
        apply(try JsonConverterConfig(c))
    }

    func apply(_ config: JsonConverterConfig) {
        state.withLock {
            $0.config = config
            $0.outgoing = SchemaJSONCache(capacity: config.schemaCacheSize)
            $0.incoming = SchemaBytesCache(capacity: config.schemaCacheSize)
        }
    }

    /// The current settings.
    public var config: JsonConverterConfig { state.withLock { $0.config } }

    /// Cache sizes (outgoing, incoming), for tests and metrics.
    public var cachedSchemaCounts: (fromConnect: Int, toConnect: Int) {
        state.withLock { ($0.outgoing.count, $0.incoming.count) }
    }

    // MARK: Connect → bytes

    /// The envelope (or bare payload) bytes; nil for a null value without schema, so tombstones stay tombstones.
    public func fromConnectData(topic: String, headers: Headers?, schema: Schema?, value: Value) throws -> [UInt8]? {
        if schema == nil && value.isNull { return nil }
        let (config, cached, capacity) = try state.withLock { (s) throws -> (JsonConverterConfig, CachedSchema?, Int) in
            let cached = try schema.map { try JsonConverter.outgoing($0, &s) }
            return (s.config, cached, s.lastSize)
        }
        let encoder = JsonPayloadEncoder(decimalFormat: config.decimalFormat, replaceNullWithDefault: config.replaceNullWithDefault)
        var w = JSONWriter(capacity: capacity + capacity / 4 + (cached?.json.count ?? 0) + 32)
        if config.schemasEnabled {
            w.raw("{\"schema\":")
            if let cached { w.bytes.append(contentsOf: cached.json) } else { w.null() }
            w.raw(",\"payload\":")
        }
        if let plan = cached?.plan {
            try encoder.write(value, plan, into: &w)
        } else {
            try encoder.writeSchemaless(value, into: &w)
        }
        if config.schemasEnabled { w.raw(UInt8(ascii: "}")) }
        let size = w.bytes.count - (cached?.json.count ?? 0)
        state.withLock { $0.lastSize = size }
        return w.bytes
    }

    public func fromConnectHeader(topic: String, headerKey: String, schema: Schema?, value: Value) throws -> [UInt8]? {
        try fromConnectData(topic: topic, headers: nil, schema: schema, value: value)
    }

    /// The schema JSON Kafka would put in the envelope for `schema` (`asJsonSchema`), as compact text.
    public func schemaJSON(_ schema: Schema) throws -> String {
        let cached = try state.withLock { try JsonConverter.outgoing(schema, &$0) }
        return String(decoding: cached.json, as: UTF8.self)
    }

    static func outgoing(_ schema: Schema, _ s: inout State) throws -> CachedSchema {
        if let hit = s.outgoing.get(schema) { return hit }
        let encoder = JsonPayloadEncoder(decimalFormat: s.config.decimalFormat, replaceNullWithDefault: s.config.replaceNullWithDefault)
        var w = JSONWriter(capacity: 512)
        try JsonSchemaWriter(encoder: encoder).write(schema, into: &w)
        let entry = CachedSchema(schema: schema, plan: JsonSchemaPlan(schema), json: w.bytes)
        s.outgoing.put(schema, entry)
        return entry
    }

    // MARK: bytes → Connect

    /// Schema and value from envelope (or bare, with `schemas.enable=false`) JSON; nil or blank bytes are null.
    /// Malformed JSON fails with Kafka's "serialization error" DataException carrying the byte position.
    public func toConnectData(topic: String, headers: Headers?, value: [UInt8]?) throws -> SchemaAndValue {
        guard let value else { return .null }
        let config = state.withLock { $0.config }
        let decoder = JsonPayloadDecoder(replaceNullWithDefault: config.replaceNullWithDefault)
        do {
            return try value.withUnsafeBufferPointer { whole throws -> SchemaAndValue in
                // Jackson skips a UTF-8 byte order mark; so do we.
                let bom = whole.count >= 3 && whole[0] == 0xEF && whole[1] == 0xBB && whole[2] == 0xBF
                let buf = bom ? UnsafeBufferPointer(rebasing: whole[3...]) : whole
                var r = JSONReader(buf)
                if r.peek() == nil { return .null }  // empty or blank bytes: no value, as Jackson's MissingNode
                if !config.schemasEnabled {
                    let v = try JsonSchemalessDecoder.read(&r)
                    try r.expectEnd()
                    return SchemaAndValue(schema: nil, value: v)
                }
                return try readEnvelope(&r, decoder)
            }
        } catch let e as JSONError {
            throw ConnectError(.dataException, "Converting byte[] to Kafka Connect data failed due to serialization error: \(e.description)", underlying: e)
        }
    }

    public func toConnectHeader(topic: String, headerKey: String, value: [UInt8]?) throws -> SchemaAndValue {
        try toConnectData(topic: topic, headers: nil, value: value)
    }

    /// Reads `{"schema":…,"payload":…}` in one pass when the schema comes first (as Kafka writes it); otherwise the
    /// payload span is remembered and decoded once the schema is known. Envelope violations are reported only after
    /// the whole document proved to be valid JSON, as Kafka (which parses fully first) does.
    func readEnvelope(_ r: inout JSONReader, _ decoder: JsonPayloadDecoder) throws -> SchemaAndValue {
        guard r.peek() == UInt8(ascii: "{") else {
            try r.skipValue()
            try r.expectEnd()
            throw ConnectError(.dataException, JsonConverter.envelopeErrorMessage)
        }
        r.pos += 1
        var sawSchema = false
        var resolved: CachedSchema?
        var schemaError: Error?
        var payload: Value?
        var payloadError: Error?
        var payloadSpan: Range<Int>?
        var extra = false
        if !r.consume(UInt8(ascii: "}")) {
            repeat {
                let key = try JsonConverter.envelopeKey(&r)
                try r.expect(UInt8(ascii: ":"))
                switch key {
                case .schema:
                    sawSchema = true
                    r.skipWhitespace()
                    let start = r.pos
                    (payload, payloadError, schemaError) = (nil, nil, nil)
                    do {
                        resolved = try incoming(&r, start, decoder)
                    } catch let e as JSONError {
                        throw e
                    } catch {
                        // A schema Kafka cannot use; reported only if the rest is a valid envelope.
                        r.pos = start
                        try r.skipValue()
                        resolved = nil
                        schemaError = error
                    }
                case .payload:
                    r.skipWhitespace()
                    let start = r.pos
                    (payload, payloadError) = (nil, nil)
                    if sawSchema && schemaError == nil {
                        do {
                            payload = try resolved?.plan.map { try decoder.read(&r, $0) } ?? JsonSchemalessDecoder.read(&r)
                        } catch let e as JSONError {
                            throw e
                        } catch {
                            r.pos = start
                            try r.skipValue()
                            payloadError = error
                        }
                    } else {
                        try r.skipValue()
                    }
                    payloadSpan = start..<r.pos
                case .other:
                    extra = true
                    try r.skipValue()
                }
            } while r.consume(UInt8(ascii: ","))
            try r.expect(UInt8(ascii: "}"))
        }
        try r.expectEnd()
        guard sawSchema, let payloadSpan, !extra else {
            throw ConnectError(.dataException, JsonConverter.envelopeErrorMessage)
        }
        if let schemaError { throw schemaError }
        if let payload { return SchemaAndValue(schema: resolved?.schema, value: payload) }
        if let payloadError { throw payloadError }
        var pr = JSONReader(r.bytes)
        pr.pos = payloadSpan.lowerBound
        let v = try resolved?.plan.map { try decoder.read(&pr, $0) } ?? JsonSchemalessDecoder.read(&pr)
        return SchemaAndValue(schema: resolved?.schema, value: v)
    }

    enum EnvelopeKey { case schema, payload, other }

    /// Matches the two envelope keys in place; anything else (including escaped spellings) goes through readString.
    static func envelopeKey(_ r: inout JSONReader) throws -> EnvelopeKey {
        if let (s, e) = try JsonPayloadDecoder.rawKey(&r) {
            let b = r.bytes
            if e - s == 6, b[s] == UInt8(ascii: "s"), b[s + 1] == UInt8(ascii: "c"), b[s + 2] == UInt8(ascii: "h"),
                b[s + 3] == UInt8(ascii: "e"), b[s + 4] == UInt8(ascii: "m"), b[s + 5] == UInt8(ascii: "a")
            {
                return .schema
            }
            if e - s == 7, JsonSchemaPlan.equal(Array("payload".utf8), b, s, 7) { return .payload }
            return .other
        }
        switch try r.readString() {
        case "schema": return .schema
        case "payload": return .payload
        default: return .other
        }
    }

    /// The schema (and plan) of the `schema` member at the reader, from the cache or freshly parsed; leaves the
    /// reader after the member. The cache is probed with the scanned span first, so a hit costs no tokenizing.
    func incoming(_ r: inout JSONReader, _ start: Int, _ decoder: JsonPayloadDecoder) throws -> CachedSchema {
        // Fast path: the same schema text as the previous record (the steady state of a topic).
        let rest = ByteSpan(UnsafeBufferPointer(rebasing: r.bytes[start...]))
        if let (hit, length) = state.withLock({ $0.incoming.lastMatchingPrefix(rest.buffer) }) {
            r.pos = start + length
            return hit
        }
        if let end = JsonScan.end(of: r.bytes, from: start) {
            // The bytes are only read during the call; the cache copies them when it keeps them.
            let span = ByteSpan(UnsafeBufferPointer(rebasing: r.bytes[start..<end]))
            if let hit = state.withLock({ $0.incoming.get(span.buffer) }) {
                r.pos = end
                return hit
            }
        }
        let schema = try JsonSchemaParser(decoder: decoder).parse(&r)
        let entry = CachedSchema(schema: schema, plan: schema.map(JsonSchemaPlan.init), json: [])
        let span = ByteSpan(UnsafeBufferPointer(rebasing: r.bytes[start..<r.pos]))
        state.withLock { $0.incoming.put(span.buffer, entry) }
        return entry
    }

    /// Parses schema JSON text into a Connect schema (`asConnectSchema`), e.g. for tools and tests.
    public func connectSchema(fromJSON text: String) throws -> Schema? {
        let bytes = Array(text.utf8)
        let decoder = JsonPayloadDecoder(replaceNullWithDefault: config.replaceNullWithDefault)
        do {
            return try bytes.withUnsafeBufferPointer { buf in
                var r = JSONReader(buf)
                let s = try JsonSchemaParser(decoder: decoder).parse(&r)
                try r.expectEnd()
                return s
            }
        } catch let e as JSONError {
            throw ConnectError(.dataException, "Invalid schema JSON: \(e.description)", underlying: e)
        }
    }
}

/// Borrowed bytes handed to the cache under its lock; only read during the call.
struct ByteSpan: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
    init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }
}
