import SluiceAPI
import Synchronization

/// A transform's parsed configuration: written by `configure`, read by every `apply`.
///
/// Transforms are shared `Sendable` objects, so the slot is guarded; reading it costs one uncontended lock.
final class ConfiguredState<Config: Sendable>: Sendable {
    private let slot = Mutex<Config?>(nil)
    private let owner: String

    init(_ owner: String) { self.owner = owner }

    func set(_ config: Config) { slot.withLock { $0 = config } }

    func get() throws -> Config {
        guard let config = slot.withLock({ $0 }) else {
            throw ConnectError(.connect, "\(owner) was used before configure() was called")
        }
        return config
    }
}
