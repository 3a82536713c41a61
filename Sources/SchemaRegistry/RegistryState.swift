import SluiceAPI

/// The registry's whole state — subjects, versions, global ids, compatibility configs — as a pure value.
///
/// Every change is planned as `RegistryRecord`s (the `_schemas` format) and applied through `apply`, the same path
/// that replays the log at startup, so a restarted registry rebuilds exactly the state it answered with.
public struct RegistryState: Sendable {
    public private(set) var subjects: [String: [RegisteredSchema]] = [:]
    var byId: [Int: (schemaType: String, schema: String)] = [:]
    var idByText: [String: Int] = [:]
    public private(set) var maxId = 0
    public var defaultLevel = CompatibilityLevel.backward
    var globalLevel: CompatibilityLevel?
    var subjectLevels: [String: CompatibilityLevel] = [:]
    /// Subject versions whose latest record in the log is a dropped conflicting one: after compaction that record
    /// would replace the winner, so the winner must be written again (`repairRecords`).
    public private(set) var overwritten: Set<SchemaKey> = []

    /// A SCHEMA record's key: what compaction keeps one record of.
    public struct SchemaKey: Hashable, Sendable {
        public var subject: String
        public var version: Int
    }

    public init() {}

    static func identity(_ type: String, _ schema: String) -> String { type + "\u{0}" + schema }

    // MARK: replay

    public mutating func apply(_ r: RegistryRecord) {
        guard let key = try? JSONReader.parse(r.key), let keytype = key["keytype"]?.stringValue else { return }
        let value = r.value.flatMap { try? JSONReader.parse($0) }
        let subject = key["subject"]?.stringValue
        switch keytype {
        case "SCHEMA":
            guard let subject, let version = key["version"]?.int64Value.map(Int.init) else { return }
            guard let value else {
                overwritten.remove(SchemaKey(subject: subject, version: version))
                subjects[subject]?.removeAll { $0.version == version }
                if subjects[subject]?.isEmpty == true { subjects[subject] = nil }
                return
            }
            let key = SchemaKey(subject: subject, version: version)
            guard let id = value["id"]?.int64Value.map(Int.init), let text = value["schema"]?.stringValue else { return }
            let type = value["schemaType"]?.stringValue ?? "AVRO"
            var list = subjects[subject] ?? []
            let at = list.firstIndex { $0.version == version }
            // Concurrent writers (see `SchemaRegistryService`): the first record for an id, and for a live subject
            // version, wins; a later different one is dropped (Confluent readers also drop an id reused for other
            // text). A dropped record over a winner is remembered so that the winner gets rewritten after it.
            let idTaken = byId[id].map { $0.schema != text || $0.schemaType != type } ?? false
            let versionTaken = at.map { list[$0].id != id || list[$0].schema != text || list[$0].schemaType != type } ?? false
            if idTaken || versionTaken {
                if at != nil { overwritten.insert(key) }
                return
            }
            overwritten.remove(key)
            let v = RegisteredSchema(subject: subject, version: version, id: id, schemaType: type, schema: text,
                                     deleted: value["deleted"]?.boolValue ?? false)
            if let at { list[at] = v } else { list.append(v); list.sort { $0.version < $1.version } }
            subjects[subject] = list
            byId[id] = (type, text)
            if idByText[Self.identity(type, text)] == nil { idByText[Self.identity(type, text)] = id }
            maxId = max(maxId, id)
        case "CONFIG":
            let level = value?["compatibilityLevel"]?.stringValue.flatMap(CompatibilityLevel.init(text:))
            if let subject { subjectLevels[subject] = level } else { globalLevel = level }
        case "DELETE_SUBJECT":
            guard let subject, let upTo = value?["version"]?.int64Value.map(Int.init), var list = subjects[subject] else { return }
            for i in list.indices where list[i].version <= upTo { list[i].deleted = true }
            subjects[subject] = list
        case "CLEAR_SUBJECT":
            guard let subject else { return }
            subjects[subject]?.removeAll { $0.deleted }
            if subjects[subject]?.isEmpty == true { subjects[subject] = nil }
        default:
            break
        }
    }

    // MARK: reads

    public func level(_ subject: String?) -> CompatibilityLevel {
        subject.flatMap { subjectLevels[$0] } ?? globalLevel ?? defaultLevel
    }

    public func subjectLevel(_ subject: String) -> CompatibilityLevel? { subjectLevels[subject] }

    public func live(_ subject: String, deleted: Bool = false) -> [RegisteredSchema] {
        (subjects[subject] ?? []).filter { deleted || !$0.deleted }
    }

    public func subjectNames(deleted: Bool, prefix: String) -> [String] {
        subjects.keys.filter { $0.hasPrefix(prefix) && !live($0, deleted: deleted).isEmpty }.sorted()
    }

    public func schema(id: Int) throws(SchemaRegistryError) -> (schemaType: String, schema: String) {
        guard let s = byId[id] else { throw .schemaNotFound("Schema \(id) not found") }
        return s
    }

    public func versions(ofId id: Int) -> [(String, Int)] {
        subjects.keys.sorted().flatMap { s in live(s).filter { $0.id == id }.map { (s, $0.version) } }
    }

    /// `latest`, `-1` or 1…2³¹-1.
    public func version(_ subject: String, _ v: String, deleted: Bool = false) throws(SchemaRegistryError) -> RegisteredSchema {
        let list = live(subject, deleted: deleted)
        guard !list.isEmpty else { throw .subjectNotFound(subject) }
        if v == "latest" || v == "-1" { return list[list.count - 1] }
        guard let n = Int(v), n >= 1, n <= Int(Int32.max) else { throw .invalidVersion(v) }
        guard let found = list.first(where: { $0.version == n }) else { throw .versionNotFound(n) }
        return found
    }

    /// The canonical text of a schema as registered (Avro: `Schema.toString()`), or 42201.
    public static func canonical(_ text: String, type: String) throws(SchemaRegistryError) -> String {
        switch type {
        case "AVRO":
            do { return try AvroSchemaParser.parse(text).canonicalText } catch {
                throw .invalidSchema("Invalid schema \(text.prefix(200)), details: \(error)")
            }
        case "JSON", "PROTOBUF":
            return text
        default:
            throw .invalidSchema("Invalid schema type \(type)")
        }
    }

    public func lookup(_ subject: String, _ text: String, type: String, deleted: Bool) throws(SchemaRegistryError) -> RegisteredSchema {
        let c = try Self.canonical(text, type: type)
        let list = live(subject, deleted: deleted)
        guard !list.isEmpty else { throw .subjectNotFound(subject) }
        guard let v = list.last(where: { $0.schema == c && $0.schemaType == type }) else { throw .schemaNotFound() }
        return v
    }

    /// Incompatibility messages of `text` against the versions the subject's level demands (or `against` only).
    public func incompatibilities(_ subject: String, _ text: String, type: String, against: [RegisteredSchema]? = nil) throws(SchemaRegistryError) -> [String] {
        let level = level(subject)
        guard level != .none, type == "AVRO" else { return [] }
        let all = live(subject)
        let targets = against ?? (level.transitive ? all : Array(all.suffix(1)))
        guard !targets.isEmpty else { return [] }
        let new: AvroSchema
        do { new = try AvroSchemaParser.parse(text) } catch { throw .invalidSchema("Invalid schema: \(error)") }
        var out: [String] = []
        for t in targets {
            guard let old = try? AvroSchemaParser.parse(t.schema) else { continue }
            if level.checksBackward {
                out += AvroCompatibility.check(reader: new, writer: old).map { "\($0), version: \(t.version)" }
            }
            if level.checksForward {
                out += AvroCompatibility.check(reader: old, writer: new).map { "\($0), version: \(t.version)" }
            }
        }
        return out
    }

    // MARK: plans

    /// The winners of `overwritten` keys, written again so that they are the last record of their key.
    public func repairRecords() -> [RegistryRecord] {
        overwritten.sorted { ($0.subject, $0.version) < ($1.subject, $1.version) }.compactMap { k in
            subjects[k.subject]?.first { $0.version == k.version }.map(RegistryRecord.schema)
        }
    }

    /// Registering `text` under `subject`: the id, and the records to write (none when already registered).
    public func planRegister(_ subject: String, _ text: String, type: String) throws(SchemaRegistryError) -> (id: Int, records: [RegistryRecord]) {
        let c = try Self.canonical(text, type: type)
        let all = subjects[subject] ?? []
        if let existing = all.last(where: { !$0.deleted && $0.schema == c && $0.schemaType == type }) { return (existing.id, []) }
        let problems = try incompatibilities(subject, c, type: type)
        if !problems.isEmpty {
            let latest = live(subject).last?.version ?? 0
            throw .incompatible("Schema being registered is incompatible with an earlier schema for subject \"\(subject)\", details: [\(problems.joined(separator: ", "))]; latest version: \(latest)")
        }
        let id = idByText[Self.identity(type, c)] ?? maxId + 1
        let version = (all.map(\.version).max() ?? 0) + 1
        return (id, [RegistryRecord.schema(RegisteredSchema(subject: subject, version: version, id: id, schemaType: type, schema: c))])
    }

    public func planDeleteVersion(_ subject: String, _ v: String, permanent: Bool) throws(SchemaRegistryError) -> (version: Int, records: [RegistryRecord]) {
        if permanent {
            let found = try version(subject, v, deleted: true)
            guard found.deleted else { throw .versionNotSoftDeleted(subject, found.version) }
            return (found.version, [RegistryRecord.schemaTombstone(subject, found.version)])
        }
        if let n = Int(v), let d = (subjects[subject] ?? []).first(where: { $0.version == n && $0.deleted }) {
            throw .versionSoftDeleted(subject, d.version)
        }
        var found = try version(subject, v)
        found.deleted = true
        return (found.version, [RegistryRecord.schema(found)])
    }

    public func planDeleteSubject(_ subject: String, permanent: Bool) throws(SchemaRegistryError) -> (versions: [Int], records: [RegistryRecord]) {
        let all = subjects[subject] ?? []
        guard !all.isEmpty else { throw .subjectNotFound(subject) }
        if permanent {
            guard all.allSatisfy(\.deleted) else { throw .subjectNotSoftDeleted(subject) }
            return (all.map(\.version), all.map { RegistryRecord.schemaTombstone(subject, $0.version) } + [RegistryRecord.clearSubject(subject)])
        }
        let live = all.filter { !$0.deleted }
        guard let last = live.last else { throw .subjectSoftDeleted(subject) }
        let records = live.map { v -> RegistryRecord in var d = v; d.deleted = true; return RegistryRecord.schema(d) }
        return (live.map(\.version), records + [RegistryRecord.deleteSubject(subject, upTo: last.version)])
    }
}
