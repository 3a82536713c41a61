import Synchronization

/// The topics each connector has actually used since its topics were last reset (KIP-558), for
/// `GET /connectors/{c}/topics` and `PUT /connectors/{c}/topics/reset`.
public final class ActiveTopics: Sendable {
    private let state = Mutex<[String: Set<String>]>([:])

    public init() {}

    /// Records that `connector` used `topic`; cheap when already known.
    func record(_ connector: String, _ topic: String) {
        state.withLock { s in
            if s[connector]?.contains(topic) != true { s[connector, default: []].insert(topic) }
        }
    }

    func topics(_ connector: String) -> [String] { state.withLock { ($0[connector] ?? []).sorted() } }
    func reset(_ connector: String) { _ = state.withLock { $0.removeValue(forKey: connector) } }
}
