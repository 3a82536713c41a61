/// The value types of a config key (`ConfigDef.Type`); `rawValue` is the name REST shows in `definition.type`.
public enum ConfigType: String, Sendable, Hashable {
    case boolean = "BOOLEAN", string = "STRING", int = "INT", short = "SHORT", long = "LONG", double = "DOUBLE"
    case list = "LIST", className = "CLASS", password = "PASSWORD"
}

/// How much a key matters (`ConfigDef.Importance`).
public enum ConfigImportance: String, Sendable, Hashable { case high = "HIGH", medium = "MEDIUM", low = "LOW" }

/// The UI width hint (`ConfigDef.Width`).
public enum ConfigWidth: String, Sendable, Hashable { case none = "NONE", short = "SHORT", medium = "MEDIUM", long = "LONG" }
