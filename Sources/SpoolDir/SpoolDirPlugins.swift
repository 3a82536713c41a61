import SluiceAPI

/// The SpoolDir plugins the bundle registers, under the class names users of the original already write.
public enum SpoolDirPlugins {
    public static let version = "2.0.65-sluice"

    public static let all: [PluginDescriptor] = SpoolDirFormat.allCases.map { format in
        PluginDescriptor(
            className: format.className, version: version, configDef: SpoolDirConfig.configDef(for: format),
            factory: .source { SpoolDirSourceConnector(format: format) })
    }
}
