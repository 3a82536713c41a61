import Converters
import SluiceAPI

/// The key, value and header converters of one task: the connector's overrides or the worker's defaults, each
/// configured with its `key.converter.*` / `value.converter.*` / `header.converter.*` settings.
struct ConverterSet: Sendable {
    let key: any Converter
    let value: any Converter
    let header: any HeaderConverter

    static func make(connector: [String: String], worker: WorkerConfig, registry: PluginRegistry) throws -> ConverterSet {
        func settings(_ prefix: String) -> (String, [String: String]) {
            let p = prefix + "."
            let workerProps = worker.parsed.originals(withPrefix: p)
            var connectorProps: [String: String] = [:]
            for (k, v) in connector where k.hasPrefix(p) { connectorProps[String(k.dropFirst(p.count))] = v }
            let cls = connector[prefix] ?? worker.parsed.string(prefix) ?? ""
            // A connector that names its own converter class gets only its own settings, as in Kafka Connect.
            let props = connector[prefix] != nil ? connectorProps : workerProps.merging(connectorProps) { $1 }
            return (cls, props)
        }
        let (kc, kp) = settings("key.converter")
        let (vc, vp) = settings("value.converter")
        let (hc, hp) = settings("header.converter")
        let keyConv = try makeConverter(kc, kp, isKey: true, key: "key.converter", registry: registry)
        let valueConv = try makeConverter(vc, vp, isKey: false, key: "value.converter", registry: registry)
        // Like Kafka, the regular converters (JsonConverter, StringConverter, ...) also serve as header converters.
        let hd = try registry.require(hc.isEmpty ? "org.apache.kafka.connect.storage.SimpleHeaderConverter" : hc, types: [.headerConverter, .converter], key: "header.converter")
        let headerConv = try ConverterConfig.makeHeaderConverter(hd, props: hp)
        return ConverterSet(key: keyConv, value: valueConv, header: headerConv)
    }

    static func makeConverter(_ cls: String, _ props: [String: String], isKey: Bool, key: String, registry: PluginRegistry) throws -> any Converter {
        let d = try registry.require(cls, types: [.converter, .headerConverter], key: key)
        guard case .converter(let make) = d.factory else {
            throw ConnectError.invalidConfig(key, cls, "\(d.className) is not a Converter")
        }
        let c = make()
        try c.configure(props, isKey: isKey)
        return c
    }
}
