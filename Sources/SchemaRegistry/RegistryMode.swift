/// A registry or subject mode (`/mode`, MODE records): READWRITE (default), READONLY and READONLY_OVERRIDE refuse
/// writes (42205), IMPORT accepts registrations with the ids and versions given (migrating another registry's
/// schemas) and skips compatibility checks. A global READONLY_OVERRIDE applies even to subjects with their own mode.
public enum RegistryMode: String, Sendable, CaseIterable {
    case readWrite = "READWRITE"
    case readOnly = "READONLY"
    case readOnlyOverride = "READONLY_OVERRIDE"
    case importing = "IMPORT"

    /// Case-insensitive, as Confluent's `Mode.valueOf(mode.toUpperCase())`.
    public init?(text: String) { self.init(rawValue: text.uppercased()) }

    public var isReadOnly: Bool { self == .readOnly || self == .readOnlyOverride }
}
