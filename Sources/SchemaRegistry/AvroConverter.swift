import Converters
import SluiceAPI
import Synchronization

/// `io.confluent.connect.avro.AvroConverter`: Connect data ↔ Confluent's wire format (magic `0x00`, 4-byte schema id,
/// Avro binary datum), with the schemas kept in a Schema Registry — a remote one (`schema.registry.url`) or the one
/// this worker serves (`schema.registry.url=embedded`).
///
/// Writing derives the Avro schema from the Connect schema exactly as Confluent's `AvroData` does, so the registered
/// text and id are the ones a Java worker gets. Registry outages are retriable errors; an incompatible schema, an
/// unknown id, a wrong magic byte or a truncated payload fail the record (the worker adds topic/partition/offset and
/// can route it to the dead letter queue).
public final class AvroConverter: Converter, @unchecked Sendable {
    public static let className = "io.confluent.connect.avro.AvroConverter"
    public static let configDef = ConverterConfig.baseConfigDef.merging(AvroConverterConfig.configDef)

    /// A schema read from the registry, ready to decode with.
    struct ReadSchema { let avro: AvroSchema; let connect: Schema; let plan: AvroReadPlan }
    /// A Connect schema's Avro form, ready to register and encode with.
    struct WriteSchema { let avro: AvroSchema; let text: String; let plan: AvroWritePlan }

    struct State {
        var config: AvroConverterConfig
        var isKey: Bool
        var client: any SchemaRegistryClient
    }
    private let state = Mutex<State?>(nil)
    private let writeCache = Mutex<[Schema: WriteSchema]>([:])
    private let readCache = Mutex<[Int: ReadSchema]>([:])
    struct LastWrite { let schema: Schema; let topic: String; let id: Int; let plan: AvroWritePlan }
    private let lastWrite = Mutex<LastWrite?>(nil)
    /// The size of the last record written, to allocate each output once.
    private let sizeHint = Atomic<Int>(64)

    public init() {}

    public func configure(_ configs: [String: String], isKey: Bool) throws {
        var props = configs
        props[ConverterConfig.typeConfig] = props[ConverterConfig.typeConfig] ?? (isKey ? "key" : "value")
        let cfg = try AvroConverterConfig(props, isKey: isKey)
        configure(config: cfg, isKey: isKey, client: try cfg.makeClient())
    }

    /// Configures with a given client (tests, benchmarks).
    public func configure(config: AvroConverterConfig, isKey: Bool, client: any SchemaRegistryClient) {
        state.withLock { $0 = State(config: config, isKey: isKey, client: client) }
        writeCache.withLock { $0.removeAll() }
        readCache.withLock { $0.removeAll() }
        lastWrite.withLock { $0 = nil }
    }

    func current() throws -> State {
        guard let s = state.withLock({ $0 }) else { throw ConnectError(.config, "AvroConverter is not configured") }
        return s
    }

    public func fromConnectData(topic: String, headers: Headers?, schema: Schema?, value: Value) throws -> [UInt8]? {
        let st = try current()
        if value.isNull && (schema == nil || schema?.defaultValue == nil) { return nil }
        guard let schema else {
            throw ConnectError(.dataException, "AvroConverter needs a schema to write a value (topic \(topic)); got a schemaless \(value.kindName)")
        }
        let (id, plan) = try schemaId(schema, topic: topic, st)
        let hint = sizeHint.load(ordering: .relaxed)
        var enc = AvroBinaryEncoder(capacity: hint + hint / 4 + 16, enhancedSchemaSupport: st.config.enhancedSchemaSupport)
        let id32 = UInt32(truncatingIfNeeded: id)
        let header: (UInt8, UInt8, UInt8, UInt8, UInt8) = (0, UInt8(id32 >> 24), UInt8(truncatingIfNeeded: id32 >> 16), UInt8(truncatingIfNeeded: id32 >> 8), UInt8(truncatingIfNeeded: id32))
        withUnsafeBytes(of: header) { enc.bytes.append(contentsOf: $0) }
        if !enc.write(value, plan) {
            // Not for the plan (an error, or enum symbols): the generic encoder writes it or says what is wrong.
            enc.bytes.removeSubrange(5...)
            try enc.write(value, schema)
        }
        sizeHint.store(enc.bytes.count, ordering: .relaxed)
        return enc.bytes
    }

    public func toConnectData(topic: String, headers: Headers?, value: [UInt8]?) throws -> SchemaAndValue {
        guard let value else { return SchemaAndValue(schema: nil, value: .null) }
        let st = try current()
        guard value.count >= 5 else {
            throw ConnectError(.serialization, "Failed to deserialize data for topic \(topic) to Avro: payload of \(value.count) bytes is shorter than the 5-byte header")
        }
        guard value[0] == 0 else {
            throw ConnectError(.serialization, "Failed to deserialize data for topic \(topic) to Avro: Unknown magic byte!")
        }
        let id = Int(Int32(bitPattern: UInt32(value[1]) << 24 | UInt32(value[2]) << 16 | UInt32(value[3]) << 8 | UInt32(value[4])))
        let rs = try readSchema(id: id, topic: topic, st)
        var dec = AvroBinaryDecoder(value, offset: 5)
        do throws(ConnectError) {
            let v = try dec.read(rs.plan)
            guard dec.atEnd else { throw ConnectError(.serialization, "\(value.count - dec.pos) bytes left after the Avro datum") }
            return SchemaAndValue(schema: rs.connect, value: v)
        } catch {
            throw ConnectError(.serialization, "Failed to deserialize data for topic \(topic) to Avro: Error deserializing Avro message for id \(id): \(error.message)", underlying: error)
        }
    }

    /// The id to frame `schema`'s values on `topic` with. The last (schema instance, topic) → id is kept aside:
    /// a task writes one schema instance for long runs, and finding it by identity spares hashing the schema and
    /// its text per record (the id of a (subject, text) never changes; `use.latest.version` ids are not kept).
    func schemaId(_ schema: Schema, topic: String, _ st: State) throws -> (Int, AvroWritePlan) {
        if let hit = lastWrite.withLock({ $0 }), hit.schema === schema, hit.topic == topic { return (hit.id, hit.plan) }
        let ws = try writeSchema(schema, st)
        let subject = try st.config.strategy.subject(topic: topic, isKey: st.isKey, schema: ws.avro)
        let id = try Self.registryCall(subject) { () throws -> Int in
            if st.config.autoRegister {
                return try st.client.register(subject: subject, schema: ws.text, schemaType: "AVRO")
            }
            if st.config.useLatestVersion { return try st.client.latest(subject: subject).id }
            return try st.client.lookup(subject: subject, schema: ws.text, schemaType: "AVRO", deleted: false).id
        }
        if st.config.autoRegister || !st.config.useLatestVersion {
            lastWrite.withLock { $0 = LastWrite(schema: schema, topic: topic, id: id, plan: ws.plan) }
        }
        return (id, ws.plan)
    }

    func writeSchema(_ schema: Schema, _ st: State) throws -> WriteSchema {
        if let w = writeCache.withLock({ $0[schema] }) { return w }
        let avro: AvroSchema
        do {
            avro = try AvroFromConnect.convert(schema, connectMetaData: st.config.connectMetaData, enhanced: st.config.enhancedSchemaSupport)
        } catch {
            throw ConnectError(.dataException, "Cannot convert the Connect schema to Avro: \(error)")
        }
        let w = WriteSchema(avro: avro, text: avro.canonicalText, plan: AvroWritePlan(schema, enhanced: st.config.enhancedSchemaSupport))
        writeCache.withLock {
            if $0.count >= st.config.cacheSize { $0.removeAll() }
            $0[schema] = w
        }
        return w
    }

    func readSchema(id: Int, topic: String, _ st: State) throws -> ReadSchema {
        if let r = readCache.withLock({ $0[id] }) { return r }
        let fetched = try Self.registryCall(nil) { () throws -> (schema: String, schemaType: String) in try st.client.schema(id: id) }
        guard fetched.schemaType == "AVRO" else {
            throw ConnectError(.serialization, "Schema \(id) is a \(fetched.schemaType) schema, not Avro")
        }
        let avro: AvroSchema
        do { avro = try AvroSchemaParser.parse(fetched.schema) } catch {
            throw ConnectError(.serialization, "Schema \(id) from the registry is not valid Avro: \(error)")
        }
        // Connect's schema version: connect.version, else the version of this schema under the topic's subject.
        var version: Int32?
        if avro.props["connect.version"] == nil {
            let subject = try st.config.strategy.subject(topic: topic, isKey: st.isKey, schema: avro)
            let found = try Self.registryCall(subject) { () throws -> RegisteredSchema in
                try st.client.lookup(subject: subject, schema: fetched.schema, schemaType: "AVRO", deleted: true)
            }
            version = Int32(exactly: found.version)
        }
        let connect: Schema
        do { connect = try AvroToConnect.convert(avro, version: version, connectMetaData: st.config.connectMetaData) } catch {
            throw ConnectError(.serialization, "Schema \(id) cannot be converted to a Connect schema: \(error)")
        }
        let r = ReadSchema(avro: avro, connect: connect, plan: AvroReadPlan.make(avro, connect))
        readCache.withLock {
            if $0.count >= st.config.cacheSize { $0.removeAll() }
            $0[id] = r
        }
        return r
    }

    /// Runs a registry call, turning registry errors into Connect's: unreachable/5xx → retriable, 409 → an
    /// incompatible-schema data error naming the subject, anything else a serialization error.
    static func registryCall<T>(_ subject: String?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as SchemaRegistryError {
            if e.isRetriable {
                throw ConnectError(.retriable, "Schema registry unavailable: \(e.message)", retriable: true, underlying: e)
            }
            if e.status == 409 {
                throw ConnectError(.dataException, "Schema being registered is incompatible with an earlier schema for subject \"\(subject ?? "?")\"; \(e.message)", underlying: e)
            }
            throw ConnectError(.serialization, "Schema registry error\(subject.map { " for subject \"\($0)\"" } ?? ""): \(e.message); error code: \(e.code)", underlying: e)
        }
    }
}
