import Converters
import SluiceAPI
import Synchronization

/// `io.confluent.connect.json.JsonSchemaConverter`: Connect data ↔ Confluent's wire format for JSON Schema (magic
/// `0x00`, 4-byte schema id, UTF-8 JSON payload), the schema registered with `schemaType` `JSON`.
///
/// The registered schema is derived from the Connect schema as Confluent's `JsonSchemaData` does
/// (`JsonSchemaFromConnect`); reading converts the registered schema back (`JsonSchemaToConnect`) and the payload
/// under it. Registry settings are AvroConverter's (`schema.registry.url`, `auto.register.schemas`, subject
/// strategies, basic auth, …); `decimal.format` picks BASE64 (default) or NUMERIC decimals. Schemas are cached per
/// Connect schema (write) and per id (read), so the registry is asked once per schema, not per record.
public final class JsonSchemaConverter: Converter, @unchecked Sendable {
    public static let className = "io.confluent.connect.json.JsonSchemaConverter"
    static let decimalFormatConfig = "decimal.format"
    public static let configDef = ConverterConfig.baseConfigDef.merging(AvroConverterConfig.configDef).merging(ConfigDef([
        ConfigKey(decimalFormatConfig, .string, default: .value("BASE64"), validator: .oneOf(["BASE64", "NUMERIC"], caseInsensitive: true),
                  importance: .low, doc: "Controls which format this converter will serialize decimals in. This value is case insensitive and can be either 'BASE64' (default) or 'NUMERIC'"),
    ]))

    struct WriteSchema { let text: String; let name: String? }

    struct State {
        var config: AvroConverterConfig
        var numericDecimals: Bool
        var isKey: Bool
        var client: any SchemaRegistryClient
    }
    private let state = Mutex<State?>(nil)
    private let writeCache = Mutex<[Schema: WriteSchema]>([:])
    private let readCache = Mutex<[Int: Schema]>([:])

    public init() {}

    public func configure(_ configs: [String: String], isKey: Bool) throws {
        var props = configs
        props[ConverterConfig.typeConfig] = props[ConverterConfig.typeConfig] ?? (isKey ? "key" : "value")
        let cfg = try AvroConverterConfig(props, isKey: isKey)
        let numeric = (props[Self.decimalFormatConfig] ?? "BASE64").uppercased() == "NUMERIC"
        configure(config: cfg, isKey: isKey, numericDecimals: numeric, client: try cfg.makeClient())
    }

    /// Configures with a given client (tests).
    public func configure(config: AvroConverterConfig, isKey: Bool, numericDecimals: Bool = false, client: any SchemaRegistryClient) {
        state.withLock { $0 = State(config: config, numericDecimals: numericDecimals, isKey: isKey, client: client) }
        writeCache.withLock { $0.removeAll() }
        readCache.withLock { $0.removeAll() }
    }

    func current() throws -> State {
        guard let s = state.withLock({ $0 }) else { throw ConnectError(.config, "JsonSchemaConverter is not configured") }
        return s
    }

    public func fromConnectData(topic: String, headers: Headers?, schema: Schema?, value: Value) throws -> [UInt8]? {
        let st = try current()
        if value.isNull && (schema == nil || schema?.defaultValue == nil) { return nil }
        guard let schema else {
            throw ConnectError(.dataException, "JsonSchemaConverter needs a schema to write a value (topic \(topic)); got a schemaless \(value.kindName)")
        }
        let ws = try writeSchema(schema, st)
        let subject = try Self.subject(st.config.strategy, topic: topic, isKey: st.isKey, name: ws.name)
        let id = try AvroConverter.registryCall(subject) { () throws -> Int in
            if st.config.autoRegister { return try st.client.register(subject: subject, schema: ws.text, schemaType: "JSON") }
            if st.config.useLatestVersion { return try st.client.latest(subject: subject).id }
            return try st.client.lookup(subject: subject, schema: ws.text, schemaType: "JSON", deleted: false).id
        }
        let payload = try JsonSchemaValues.json(value, schema, numericDecimals: st.numericDecimals).compactString
        var out: [UInt8] = [0]
        out.reserveCapacity(5 + payload.utf8.count)
        let id32 = UInt32(truncatingIfNeeded: id)
        out += [UInt8(id32 >> 24), UInt8(truncatingIfNeeded: id32 >> 16), UInt8(truncatingIfNeeded: id32 >> 8), UInt8(truncatingIfNeeded: id32)]
        out += payload.utf8
        return out
    }

    public func toConnectData(topic: String, headers: Headers?, value: [UInt8]?) throws -> SchemaAndValue {
        guard let value else { return SchemaAndValue(schema: nil, value: .null) }
        let st = try current()
        guard value.count >= 5 else {
            throw ConnectError(.serialization, "Failed to deserialize data for topic \(topic) to JSON schema: payload of \(value.count) bytes is shorter than the 5-byte header")
        }
        guard value[0] == 0 else { throw ConnectError(.serialization, "Failed to deserialize data for topic \(topic) to JSON schema: Unknown magic byte!") }
        let id = Int(Int32(bitPattern: UInt32(value[1]) << 24 | UInt32(value[2]) << 16 | UInt32(value[3]) << 8 | UInt32(value[4])))
        let schema = try readSchema(id: id, topic: topic, st)
        do {
            let json = try JSONReader.parse(Array(value[5...]))
            return SchemaAndValue(schema: schema, value: try JsonSchemaValues.value(json, schema))
        } catch {
            throw ConnectError(.serialization, "Failed to deserialize data for topic \(topic) to JSON schema: Error deserializing JSON message for id \(id): \(error)", underlying: error)
        }
    }

    /// TopicNameStrategy, or the record strategies with the schema's name (JSON Schema `title`).
    static func subject(_ strategy: SubjectNameStrategy, topic: String, isKey: Bool, name: String?) throws(ConnectError) -> String {
        switch strategy {
        case .topicName: return topic + (isKey ? "-key" : "-value")
        case .recordName, .topicRecordName:
            guard let name else {
                throw ConnectError(.serialization, "In configuration \(isKey ? "key" : "value").subject.name.strategy = \(strategy.rawValue), the schema must have a title (a named Connect schema)")
            }
            return strategy == .recordName ? name : topic + "-" + name
        }
    }

    func writeSchema(_ schema: Schema, _ st: State) throws -> WriteSchema {
        if let w = writeCache.withLock({ $0[schema] }) { return w }
        let w = WriteSchema(text: try JsonSchemaFromConnect.convert(schema).compactString, name: schema.name)
        writeCache.withLock {
            if $0.count >= st.config.cacheSize { $0.removeAll() }
            $0[schema] = w
        }
        return w
    }

    func readSchema(id: Int, topic: String, _ st: State) throws -> Schema {
        if let r = readCache.withLock({ $0[id] }) { return r }
        let fetched = try AvroConverter.registryCall(nil) { () throws -> (schema: String, schemaType: String) in try st.client.schema(id: id) }
        guard fetched.schemaType == "JSON" else { throw ConnectError(.serialization, "Schema \(id) is a \(fetched.schemaType) schema, not JSON") }
        let json: JSONValue
        do { json = try JSONReader.parse(fetched.schema) } catch {
            throw ConnectError(.serialization, "Schema \(id) from the registry is not valid JSON: \(error)")
        }
        // Connect's version: connect.version, else the version under the topic's subject (as for Avro).
        var version: Int32?
        if json["connect.version"] == nil {
            let subject = try Self.subject(st.config.strategy, topic: topic, isKey: st.isKey, name: json["title"]?.stringValue)
            let found = try AvroConverter.registryCall(subject) { () throws -> RegisteredSchema in
                try st.client.lookup(subject: subject, schema: fetched.schema, schemaType: "JSON", deleted: true)
            }
            version = Int32(exactly: found.version)
        }
        let schema: Schema
        do { schema = try JsonSchemaToConnect.convert(json, version: version) } catch {
            throw ConnectError(.serialization, "Schema \(id) cannot be converted to a Connect schema: \(error)")
        }
        readCache.withLock {
            if $0.count >= st.config.cacheSize { $0.removeAll() }
            $0[id] = schema
        }
        return schema
    }
}
