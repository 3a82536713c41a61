import SluiceAPI
import Synchronization

/// A transform's parsed configuration: written once by `configure`, read by every `apply`.
///
/// Transforms are shared `Sendable` objects. The configuration is published once through an atomic lazy
/// reference, so the per-record read is a single acquire load instead of a lock (Kafka Connect configures each
/// transformation instance exactly once, before the first record).
final class ConfiguredState<Config: Sendable>: Sendable {
    private final class Box: Sendable {
        let value: Config
        init(_ value: Config) { self.value = value }
    }

    private let slot = AtomicLazyReference<Box>()
    private let owner: String

    init(_ owner: String) { self.owner = owner }

    /// Publishes the configuration; a second call is refused (an instance is configured once).
    func set(_ config: Config) throws {
        let box = Box(config)
        guard slot.storeIfNil(box) === box else {
            throw ConnectError(.connect, "\(owner) is already configured; create a new instance to change its configuration")
        }
    }

    func get() throws -> Config {
        guard let box = slot.load() else {
            throw ConnectError(.connect, "\(owner) was used before configure() was called")
        }
        return box.value
    }
}
