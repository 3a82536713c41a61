import Converters
import SluiceAPI
import Synchronization

/// `io.confluent.connect.protobuf.ProtobufConverter`: Connect data ↔ Confluent's Protobuf wire format (magic `0x00`,
/// 4-byte schema id, the message-index array, then the protobuf message), with the `.proto` schemas in a Schema
/// Registry (`schema.registry.url`, or `embedded` for the one this worker serves) under schemaType `PROTOBUF`.
///
/// Writing derives the `.proto` text exactly as Confluent 7.0.16 does (`ProtobufFromConnect`), so the registered
/// text and id are the ones a Java worker gets; reading parses the registered text and maps it back as
/// `ProtobufData.toConnectSchema` does (`ProtobufToConnect`). Registry outages are retriable errors; a wrong magic
/// byte, an unknown id, a bad message index or a truncated payload fail the record with a clear message.
public final class ProtobufConverter: Converter, @unchecked Sendable {
    public static let className = "io.confluent.connect.protobuf.ProtobufConverter"
    public static let configDef = ConverterConfig.baseConfigDef.merging(ProtobufConverterConfig.configDef)
    static let schemaType = "PROTOBUF"

    struct State {
        var config: AvroConverterConfig
        var isKey: Bool
        var client: any SchemaRegistryClient
    }
    /// A registered schema ready to decode with, per (id, message-index path).
    struct ReadKey: Hashable { var id: Int; var path: [Int] }
    private let state = Mutex<State?>(nil)
    private let writeCache = Mutex<[Schema: ProtobufFromConnect.Result]>([:])
    private let readCache = Mutex<[ReadKey: ProtobufToConnect.Root]>([:])
    /// The id a (schema, topic) was registered or found under: it never changes for that text and subject, so a
    /// record of a known schema costs one small hash lookup instead of hashing the whole `.proto` text in the
    /// registry client's cache. Not used with `use.latest.version`, whose answer changes.
    struct IdKey: Hashable { var schema: Schema; var topic: String }
    private let idCache = Mutex<[IdKey: (ProtobufFromConnect.Result, Int)]>([:])
    /// The last (schema instance, topic) → id, found by identity: a task writes one schema instance for long runs,
    /// and `IdKey` hashes and compares the whole schema (as AvroConverter's `lastWrite`).
    struct LastWrite { let schema: Schema; let topic: String; let result: ProtobufFromConnect.Result; let id: Int }
    private let lastWrite = Mutex<LastWrite?>(nil)
    /// The last (id, message path) read, compared without hashing (`ReadKey` hashes the path array per record).
    struct LastRead { let id: Int; let path: [Int]; let root: ProtobufToConnect.Root }
    private let lastRead = Mutex<LastRead?>(nil)
    /// The size of the last record written, to allocate each output once (a 94-byte record in a 64-byte start
    /// buffer was copied once more per record).
    private let sizeHint = Atomic<Int>(64)

    public init() {}

    public func configure(_ configs: [String: String], isKey: Bool) throws {
        var props = configs
        props[ConverterConfig.typeConfig] = props[ConverterConfig.typeConfig] ?? (isKey ? "key" : "value")
        let cfg = try ProtobufConverterConfig(props, isKey: isKey).registry
        configure(config: cfg, isKey: isKey, client: try cfg.makeClient())
    }

    /// Configures with a given client (tests, benchmarks).
    public func configure(config: AvroConverterConfig, isKey: Bool, client: any SchemaRegistryClient) {
        state.withLock { $0 = State(config: config, isKey: isKey, client: client) }
        writeCache.withLock { $0.removeAll() }
        lastWrite.withLock { $0 = nil }
        lastRead.withLock { $0 = nil }
        readCache.withLock { $0.removeAll() }
        idCache.withLock { $0.removeAll() }
    }

    func current() throws -> State {
        guard let s = state.withLock({ $0 }) else { throw ConnectError(.config, "ProtobufConverter is not configured") }
        return s
    }

    public func fromConnectData(topic: String, headers: Headers?, schema: Schema?, value: Value) throws -> [UInt8]? {
        let st = try current()
        if value.isNull && (schema == nil || schema?.defaultValue == nil) { return nil }
        guard let schema else {
            throw ConnectError(.dataException, "ProtobufConverter needs a schema to write a value (topic \(topic)); got a schemaless \(value.kindName)")
        }
        let key = IdKey(schema: schema, topic: topic)
        let ws: ProtobufFromConnect.Result
        let id: Int
        if !st.config.useLatestVersion, let last = lastWrite.withLock({ $0 }), last.schema === schema, last.topic == topic {
            (ws, id) = (last.result, last.id)
        } else if !st.config.useLatestVersion, let hit = idCache.withLock({ $0[key] }) {
            (ws, id) = hit
            lastWrite.withLock { $0 = LastWrite(schema: schema, topic: topic, result: hit.0, id: hit.1) }
        } else {
            ws = try writeSchema(schema, st)
            let subject = st.config.strategy.subject(topic: topic, isKey: st.isKey, recordName: ws.fullName)
            id = try registryCall(subject) { () throws -> Int in
                if st.config.autoRegister {
                    return try st.client.register(subject: subject, schema: ws.text, schemaType: Self.schemaType)
                }
                if st.config.useLatestVersion { return try st.client.latest(subject: subject).id }
                return try st.client.lookup(subject: subject, schema: ws.text, schemaType: Self.schemaType, deleted: false).id
            }
            if !st.config.useLatestVersion {
                idCache.withLock {
                    if $0.count >= st.config.cacheSize { $0.removeAll() }
                    $0[key] = (ws, id)
                }
                lastWrite.withLock { $0 = LastWrite(schema: schema, topic: topic, result: ws, id: id) }
            }
        }
        var enc = ProtobufEncoder(capacity: sizeHint.load(ordering: .relaxed) + 16)
        enc.header(id: id, messageIndex: ws.messageIndex)
        do {
            try enc.writeRoot(value, schema)
        } catch {
            throw ConnectError(.dataException, "Failed to serialize Protobuf data from topic \(topic): \(error.message)", underlying: error)
        }
        sizeHint.store(enc.w.bytes.count, ordering: .relaxed)
        return enc.w.bytes
    }

    public func toConnectData(topic: String, headers: Headers?, value: [UInt8]?) throws -> SchemaAndValue {
        guard let value else { return SchemaAndValue(schema: nil, value: .null) }
        let st = try current()
        // Built only for an error: interpolating it per record cost an allocation each.
        var prefix: String { "Failed to deserialize data for topic \(topic) to Protobuf: " }
        guard value.count >= 5 else {
            throw ConnectError(.serialization, prefix + "payload of \(value.count) bytes is shorter than the 5-byte header")
        }
        guard value[0] == 0 else { throw ConnectError(.serialization, prefix + "Unknown magic byte!") }
        let id = Int(Int32(bitPattern: UInt32(value[1]) << 24 | UInt32(value[2]) << 16 | UInt32(value[3]) << 8 | UInt32(value[4])))
        var dec = ProtobufDecoder(value, offset: 5)
        let path: [Int]
        do { path = try dec.messageIndexes() } catch {
            throw ConnectError(.serialization, prefix + "Error deserializing Protobuf message for id \(id): \(error)", underlying: error)
        }
        let root = try readSchema(id: id, path: path, topic: topic, st)
        do {
            let s = try dec.message(root.plan, end: value.count)
            if root.unwrap {
                return SchemaAndValue(schema: root.schema, value: s.values.first ?? .null)
            }
            return SchemaAndValue(schema: root.schema, value: .structure(s))
        } catch {
            throw ConnectError(.serialization, prefix + "Error deserializing Protobuf message for id \(id): \(error)", underlying: error)
        }
    }

    func writeSchema(_ schema: Schema, _ st: State) throws -> ProtobufFromConnect.Result {
        if let w = writeCache.withLock({ $0[schema] }) { return w }
        let w = try ProtobufFromConnect.convert(schema)
        writeCache.withLock {
            if $0.count >= st.config.cacheSize { $0.removeAll() }
            $0[schema] = w
        }
        return w
    }

    func readSchema(id: Int, path: [Int], topic: String, _ st: State) throws -> ProtobufToConnect.Root {
        if let last = lastRead.withLock({ $0 }), last.id == id, last.path == path { return last.root }
        let key = ReadKey(id: id, path: path)
        if let r = readCache.withLock({ $0[key] }) {
            lastRead.withLock { $0 = LastRead(id: id, path: path, root: r) }
            return r
        }
        let fetched: (schema: String, schemaType: String)
        do {
            fetched = try registryCall(nil) { () throws -> (schema: String, schemaType: String) in try st.client.schema(id: id) }
        } catch let e as ConnectError where !e.isRetriable {
            throw ConnectError(.serialization, "Failed to deserialize data for topic \(topic) to Protobuf: schema \(id): \(e.message)", underlying: e)
        }
        guard fetched.schemaType == Self.schemaType else {
            throw ConnectError(.serialization, "Schema \(id) is a \(fetched.schemaType) schema, not Protobuf")
        }
        let file: ProtoFile
        do { file = try ProtoParser.parse(fetched.schema) } catch {
            throw ConnectError(.serialization, "Schema \(id) from the registry is not a Protobuf schema Sluice can read: \(error)")
        }
        guard let (msg, scope) = file.message(at: path) else {
            throw ConnectError(.serialization, "Failed to deserialize data for topic \(topic) to Protobuf: message indexes \(path) name no message of schema \(id)")
        }
        // Connect's schema version: the version of this schema under the topic's subject (as Confluent looks it up).
        let fullName = ((file.package.map { [$0] } ?? []) + scope + [msg.name]).joined(separator: ".")
        let subject = st.config.strategy.subject(topic: topic, isKey: st.isKey, recordName: fullName)
        let found = try registryCall(subject) { () throws -> RegisteredSchema in
            try st.client.lookup(subject: subject, schema: fetched.schema, schemaType: Self.schemaType, deleted: true)
        }
        let r = try ProtobufToConnect.convert(file, messageIndex: path, version: Int32(exactly: found.version))
        readCache.withLock {
            if $0.count >= st.config.cacheSize { $0.removeAll() }
            $0[key] = r
        }
        return r
    }

    /// Registry errors as Connect errors: unreachable/5xx → retriable, 409 → incompatible schema naming the subject,
    /// anything else a serialization error.
    func registryCall<T>(_ subject: String?, _ body: () throws -> T) throws -> T {
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
