import JDBCSink
import Plugins
import SluiceAPI

/// Plugins the benchmarks need that `BuiltinPlugins` may not list yet (the JDBC sink), without duplicates once it does.
enum BenchPlugins {
    static let missingFromBuiltin: [PluginDescriptor] = JDBCSinkPlugins.all.filter { p in
        !BuiltinPlugins.all.contains { $0.className == p.className }
    }
}
