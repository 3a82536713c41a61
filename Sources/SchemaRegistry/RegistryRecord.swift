import SluiceAPI

/// One record of the registry's log, in the `_schemas` topic format: a JSON key with a fixed member order (keys must
/// be byte-identical for compaction) and a JSON value, nil for a tombstone. Null/empty members are omitted.
public struct RegistryRecord: Sendable, Equatable {
    public var key: String
    public var value: String?

    public init(key: String, value: String?) {
        self.key = key
        self.value = value
    }

    static func text(_ pairs: [(String, JSONValue)]) -> String { JSONValue.object(JSONObject(pairs)).compactString }

    static func schemaKey(_ subject: String, _ version: Int) -> String {
        text([("keytype", .string("SCHEMA")), ("subject", .string(subject)), ("version", .int(Int64(version))), ("magic", .int(1))])
    }

    public static func schema(_ v: RegisteredSchema) -> RegistryRecord {
        var pairs: [(String, JSONValue)] = [
            ("subject", .string(v.subject)), ("version", .int(Int64(v.version))), ("id", .int(Int64(v.id))),
        ]
        if v.schemaType != "AVRO" { pairs.append(("schemaType", .string(v.schemaType))) }
        if !v.references.isEmpty { pairs.append(("references", .array(v.references.map(\.json)))) }
        pairs += [("schema", .string(v.schema)), ("deleted", .bool(v.deleted))]
        return RegistryRecord(key: schemaKey(v.subject, v.version), value: text(pairs))
    }

    public static func schemaTombstone(_ subject: String, _ version: Int) -> RegistryRecord {
        RegistryRecord(key: schemaKey(subject, version), value: nil)
    }

    static func configKey(_ subject: String?) -> String {
        guard let subject else { return text([("keytype", .string("CONFIG")), ("magic", .int(0))]) }
        return text([("keytype", .string("CONFIG")), ("subject", .string(subject)), ("magic", .int(0))])
    }

    public static func config(_ subject: String?, _ level: CompatibilityLevel?) -> RegistryRecord {
        guard let level else { return RegistryRecord(key: configKey(subject), value: nil) }
        var pairs: [(String, JSONValue)] = []
        if let subject { pairs.append(("subject", .string(subject))) }
        pairs.append(("compatibilityLevel", .string(level.rawValue)))
        return RegistryRecord(key: configKey(subject), value: text(pairs))
    }

    static func modeKey(_ subject: String?) -> String {
        guard let subject else { return text([("keytype", .string("MODE")), ("magic", .int(0))]) }
        return text([("keytype", .string("MODE")), ("subject", .string(subject)), ("magic", .int(0))])
    }

    /// A subject's (or, for nil, the global) mode; nil writes the tombstone that removes it.
    public static func mode(_ subject: String?, _ mode: RegistryMode?) -> RegistryRecord {
        guard let mode else { return RegistryRecord(key: modeKey(subject), value: nil) }
        var pairs: [(String, JSONValue)] = []
        if let subject { pairs.append(("subject", .string(subject))) }
        pairs.append(("mode", .string(mode.rawValue)))
        return RegistryRecord(key: modeKey(subject), value: text(pairs))
    }

    public static func deleteSubject(_ subject: String, upTo version: Int) -> RegistryRecord {
        RegistryRecord(key: text([("keytype", .string("DELETE_SUBJECT")), ("subject", .string(subject)), ("magic", .int(0))]),
                       value: text([("subject", .string(subject)), ("version", .int(Int64(version)))]))
    }

    public static func clearSubject(_ subject: String) -> RegistryRecord {
        RegistryRecord(key: text([("keytype", .string("CLEAR_SUBJECT")), ("subject", .string(subject)), ("magic", .int(0))]),
                       value: text([("subject", .string(subject))]))
    }
}
