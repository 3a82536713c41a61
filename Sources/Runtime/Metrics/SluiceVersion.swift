/// Version strings reported by `GET /` and the plugin list.
public enum SluiceVersion {
    /// Sluice's own version.
    public static let version = "0.1.0"
    /// The Kafka Connect REST/API level Sluice is compatible with; tools compare `GET /` `version` against it.
    public static let kafkaCompatible = "3.9.0"
    /// Shown as `commit` in `GET /`.
    public static let commit = "sluice-\(version)"
}
