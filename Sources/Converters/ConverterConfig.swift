import SluiceAPI

/// Builds configured converters from plugin descriptors, the way Kafka Connect's `Plugins.newConverter` does:
/// instantiate, then `configure` with the prefix-stripped settings plus `converter.type`.
///
/// The runtime resolves the class name (with aliases) to a `PluginDescriptor` and calls one of these; keeping the
/// dual-role logic here means a converter class listed once (as `.converter`) also works as `header.converter`,
/// which is how Kafka treats JsonConverter, StringConverter, ByteArrayConverter and the number converters.
public enum ConverterConfig {
    /// `converter.type`: `key`, `value` or `header` (set by the worker, not by users).
    public static let typeConfig = "converter.type"

    /// The keys every converter shares (`ConverterConfig.newConfigDef()` in Kafka).
    public static let baseConfigDef = ConfigDef([
        ConfigKey(
            typeConfig, .string, default: .required, validator: .oneOf(ConverterType.allCases.map(\.rawValue)),
            importance: .low, doc: "How this converter will be used.")
    ])

    /// A new key or value converter from `descriptor`, configured with `props` (e.g. the `value.converter.*`
    /// settings without the prefix).
    public static func makeConverter(_ descriptor: PluginDescriptor, props: [String: String], isKey: Bool) throws -> any Converter {
        guard case .converter(let make) = descriptor.factory else {
            throw ConnectError(.config, "\(descriptor.className) is not a Converter (it is a \(descriptor.type.rawValue))")
        }
        let c = make()
        try c.configure(props, isKey: isKey)
        return c
    }

    /// A new header converter from `descriptor`, which may be a header converter or a converter that can also
    /// convert headers (all the bundled converters can).
    public static func makeHeaderConverter(_ descriptor: PluginDescriptor, props: [String: String]) throws -> any HeaderConverter {
        let h: any HeaderConverter
        switch descriptor.factory {
        case .headerConverter(let make):
            h = make()
        case .converter(let make):
            guard let dual = make() as? any HeaderConverter else {
                throw ConnectError(.config, "\(descriptor.className) cannot convert headers")
            }
            h = dual
        default:
            throw ConnectError(.config, "\(descriptor.className) is not a HeaderConverter (it is a \(descriptor.type.rawValue))")
        }
        try h.configure(props)
        return h
    }

    /// Looks `className` up among `plugins` (full Java name, simple name, or alias) and builds a configured converter.
    public static func makeConverter(className: String, plugins: [PluginDescriptor], props: [String: String], isKey: Bool) throws -> any Converter {
        try makeConverter(find(className, in: plugins, header: false), props: props, isKey: isKey)
    }

    /// Looks `className` up among `plugins` and builds a configured header converter.
    public static func makeHeaderConverter(className: String, plugins: [PluginDescriptor], props: [String: String]) throws -> any HeaderConverter {
        try makeHeaderConverter(find(className, in: plugins, header: true), props: props)
    }

    static func find(_ name: String, in plugins: [PluginDescriptor], header: Bool) throws -> PluginDescriptor {
        let wanted: Set<PluginType> = header ? [.headerConverter, .converter] : [.converter]
        let candidates = plugins.filter { wanted.contains($0.type) }
        if let p = candidates.first(where: { $0.className == name }) { return p }
        if let p = candidates.first(where: { $0.aliases.contains(name) || $0.className.split(separator: ".").last.map(String.init) == name }) {
            return p
        }
        let kind = header ? "HeaderConverter" : "Converter"
        throw ConnectError(.pluginNotFound, "Failed to find any class that implements \(kind) and which name matches \(name), available converters are: \(candidates.map(\.className).sorted().joined(separator: ", "))")
    }

    /// `props` with `converter.type` set, as `Converter.configure(Map, boolean)` does in Kafka.
    static func withType(_ props: [String: String], _ type: ConverterType) -> [String: String] {
        var p = props
        p[typeConfig] = type.rawValue
        return p
    }
}
