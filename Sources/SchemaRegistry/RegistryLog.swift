/// Where the registry's records are kept: the `_schemas` topic, or a local file. `append` returns only once the
/// records are durable; `readAll` returns every record in order for replay at startup.
public protocol RegistryLog: Sendable {
    func readAll() throws -> [RegistryRecord]
    func append(_ records: [RegistryRecord]) throws
}
