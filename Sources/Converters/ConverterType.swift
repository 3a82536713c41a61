import SluiceAPI

/// How a converter instance is used (`org.apache.kafka.connect.storage.ConverterType`), the `converter.type` setting
/// the worker adds when it configures a converter for keys, values or headers.
public enum ConverterType: String, Sendable, CaseIterable {
    case key, value, header

    static func from(_ parsed: ParsedConfig) throws -> ConverterType {
        let text = parsed.string(ConverterConfig.typeConfig) ?? ""
        guard let t = ConverterType(rawValue: text) else {
            throw ConnectError.invalidConfig(ConverterConfig.typeConfig, text, "String must be one of: key, value, header")
        }
        return t
    }
}
