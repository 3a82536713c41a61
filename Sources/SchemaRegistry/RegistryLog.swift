/// Where the registry's records are kept: the `_schemas` topic (shared by every worker of a cluster), or a local
/// file (one worker). The log is the source of truth: the registry's state is only ever what `deliver` handed it.
///
/// `deliver` sees every record in log order: first the existing ones (replay), then each appended one — this
/// registry's own appends and, for a shared log, other registries' too.
public protocol RegistryLog: Sendable {
    /// Replays every record already in the log through `deliver`, then keeps delivering new ones. Returns once the
    /// replay is complete. Called once.
    func start(_ deliver: @escaping @Sendable (RegistryRecord) -> Void) throws
    /// Appends records; returns only once they are durable (fsync'ed, or acknowledged by Kafka).
    func append(_ records: [RegistryRecord]) throws
    /// Returns once every record durable before the call (by any writer) went through `deliver`.
    func sync() throws
    /// Stops delivering and releases resources. Idempotent.
    func close()
}
