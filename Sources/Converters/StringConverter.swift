import JavaCompat
import SluiceAPI
import Synchronization

/// `org.apache.kafka.connect.storage.StringConverter`: values as text in `converter.encoding` (UTF-8 by default),
/// read back as optional strings. Non-string values are written as Java's `toString()` would print them; byte arrays
/// are passed through unchanged (Java would print a useless `[B@1b6d3586`).
public final class StringConverter: Converter, HeaderConverter, @unchecked Sendable {
    /// The encodings we can honour without ICU: the ones Connect users name in practice.
    enum Encoding: Sendable {
        case utf8, latin1, ascii
    }

    /// `converter.encoding`: the character set of the text.
    public static let encodingConfig = "converter.encoding"

    /// `converter.type` and `converter.encoding`.
    public static let configDef = ConverterConfig.baseConfigDef.merging(ConfigDef([
        ConfigKey(
            encodingConfig, .string, default: .value("UTF-8"), importance: .high,
            doc: "The name of the Java character set to use for encoding strings as byte arrays.", width: .medium,
            displayName: "Encoding")
    ]))

    private let encoding = Mutex(Encoding.utf8)

    public init() {}

    public func configure(_ configs: [String: String], isKey: Bool) throws {
        try apply(ConverterConfig.withType(configs, isKey ? .key : .value))
    }

    public func configure(_ configs: [String: String]) throws {
        var c = configs
        if c[ConverterConfig.typeConfig] == nil { c[ConverterConfig.typeConfig] = ConverterType.header.rawValue }
        try apply(c)
    }

    func apply(_ configs: [String: String]) throws {
        let parsed = try StringConverter.configDef.parse(configs)
        let name = parsed.string(StringConverter.encodingConfig, default: "UTF-8")
        let e: Encoding
        switch String(name.uppercased().map { $0 == "_" ? "-" : $0 }) {
        case "UTF-8", "UTF8": e = .utf8
        case "ISO-8859-1", "ISO8859-1", "LATIN1": e = .latin1
        case "US-ASCII", "ASCII": e = .ascii
        default:
            throw ConnectError.invalidConfig(StringConverter.encodingConfig, name, "Unsupported encoding (supported: UTF-8, ISO-8859-1, US-ASCII)")
        }
        encoding.withLock { $0 = e }
    }

    public func fromConnectData(topic: String, headers: Headers?, schema: Schema?, value: Value) throws -> [UInt8]? {
        switch value {
        case .null: return nil
        case .bytes(let b): return b
        case .string(let s): return encode(s)
        default: return encode(JavaText.toString(value, schema: schema, bytes: .utf8))
        }
    }

    public func toConnectData(topic: String, headers: Headers?, value: [UInt8]?) throws -> SchemaAndValue {
        guard let value else { return SchemaAndValue(schema: .optionalString, value: .null) }
        return SchemaAndValue(schema: .optionalString, value: .string(decode(value)))
    }

    public func fromConnectHeader(topic: String, headerKey: String, schema: Schema?, value: Value) throws -> [UInt8]? {
        try fromConnectData(topic: topic, headers: nil, schema: schema, value: value)
    }

    public func toConnectHeader(topic: String, headerKey: String, value: [UInt8]?) throws -> SchemaAndValue {
        try toConnectData(topic: topic, headers: nil, value: value)
    }

    func encode(_ s: String) -> [UInt8] {
        switch encoding.withLock({ $0 }) {
        case .utf8: return Array(s.utf8)
        case .latin1: return s.unicodeScalars.map { $0.value < 256 ? UInt8($0.value) : UInt8(ascii: "?") }
        case .ascii: return s.unicodeScalars.map { $0.value < 128 ? UInt8($0.value) : UInt8(ascii: "?") }
        }
    }

    func decode(_ b: [UInt8]) -> String {
        switch encoding.withLock({ $0 }) {
        case .utf8: return String(decoding: b, as: UTF8.self)
        case .latin1: return String(String.UnicodeScalarView(b.map { Unicode.Scalar($0) }))
        case .ascii: return String(String.UnicodeScalarView(b.map { $0 < 128 ? Unicode.Scalar($0) : "\u{FFFD}" }))
        }
    }
}
