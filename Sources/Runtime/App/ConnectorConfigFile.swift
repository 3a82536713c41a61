import Foundation
import SluiceAPI

/// Reads a connector config file given on the command line: Java `.properties` (as `connect-standalone` takes) or
/// JSON — either the REST body `{"name": ..., "config": {...}}` or a flat config object.
public enum ConnectorConfigFile {
    public static func load(path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConnectError(.config, "Cannot read connector config file \(path)")
        }
        let trimmed = String(decoding: data, as: UTF8.self).drop(while: { $0.isWhitespace })
        if path.hasSuffix(".json") || trimmed.hasPrefix("{") {
            let doc: JSONValue
            do { doc = try JSONReader.parse([UInt8](data)) } catch {
                throw ConnectError(.config, "Connector config file \(path) is not valid JSON: \(error)")
            }
            var config: [String: String] = [:]
            let source = doc["config"]?.objectValue ?? doc.objectValue ?? JSONObject()
            for m in source { if let s = m.value.configString { config[m.key] = s } }
            if config["name"] == nil, let n = doc["name"]?.stringValue { config["name"] = n }
            return config
        }
        return try JavaProperties.load(path: path)
    }
}
