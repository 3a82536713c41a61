import SluiceAPI

/// Finds bundled plugins by the names users write: the full Java class name, the simple class name, and for
/// connectors the simple name without the `Connector` suffix (`FileStreamSource`), as Kafka Connect's aliases do.
public struct PluginRegistry: Sendable {
    public let plugins: [PluginDescriptor]
    private let byName: [String: Int]

    public init(_ plugins: [PluginDescriptor]) {
        self.plugins = plugins
        var names: [String: Int] = [:]
        // Full names first so they always win over a colliding alias.
        for (i, p) in plugins.enumerated() { names[p.className] = i }
        for (i, p) in plugins.enumerated() {
            for alias in PluginRegistry.aliases(of: p) where names[alias] == nil { names[alias] = i }
        }
        self.byName = names
    }

    static func aliases(of p: PluginDescriptor) -> [String] {
        var out = p.aliases
        let simple = String(p.className.split(separator: ".").last ?? Substring(p.className))
        out.append(simple)
        if p.type == .source || p.type == .sink, simple.hasSuffix("Connector") {
            out.append(String(simple.dropLast("Connector".count)))
        }
        if p.type == .converter || p.type == .headerConverter, simple.hasSuffix("Converter") {
            out.append(String(simple.dropLast("Converter".count)))
        }
        return out
    }

    /// The plugin called `name`, or nil.
    public func find(_ name: String) -> PluginDescriptor? {
        byName[name.trimmedWS].map { plugins[$0] }
    }

    /// The plugin called `name` of one of `types`, or a clear error naming the class.
    public func require(_ name: String, types: Set<PluginType>, key: String) throws -> PluginDescriptor {
        guard let p = find(name) else {
            throw ConnectError(.pluginNotFound, "Failed to find any class that implements \(PluginRegistry.kindName(types)) and which name matches \(name), available plugins are: \(plugins.filter { types.contains($0.type) }.map(\.className).sorted().joined(separator: ", "))")
        }
        guard types.contains(p.type) else {
            throw ConnectError.invalidConfig(key, name, "Class \(p.className) is a \(p.type.rawValue), not a \(PluginRegistry.kindName(types))")
        }
        return p
    }

    static func kindName(_ types: Set<PluginType>) -> String {
        if types == [.source, .sink] { return "Connector" }
        return types.map(\.rawValue).sorted().joined(separator: " or ")
    }

    public func ofType(_ type: PluginType) -> [PluginDescriptor] { plugins.filter { $0.type == type } }
}

extension String {
    var trimmedWS: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
