import SluiceAPI

/// The registry's whole state — subjects, versions, global ids, compatibility configs — as a pure value.
///
/// Every change is planned as `RegistryRecord`s (the `_schemas` format) and applied through `apply`, the same path
/// that replays the log at startup, so a restarted registry rebuilds exactly the state it answered with.
public struct RegistryState: Sendable {
    public private(set) var subjects: [String: [RegisteredSchema]] = [:]
    var byId: [Int: (schemaType: String, schema: String, references: [SchemaReference])] = [:]
    var idByText: [String: Int] = [:]
    public private(set) var maxId = 0
    public var defaultLevel = CompatibilityLevel.backward
    var globalLevel: CompatibilityLevel?
    var subjectLevels: [String: CompatibilityLevel] = [:]
    var globalMode: RegistryMode?
    var subjectModes: [String: RegistryMode] = [:]
    /// Subject versions whose latest record in the log is a dropped conflicting one: after compaction that record
    /// would replace the winner, so the winner must be written again (`repairRecords`).
    public private(set) var overwritten: Set<SchemaKey> = []

    /// A SCHEMA record's key: what compaction keeps one record of.
    public struct SchemaKey: Hashable, Sendable {
        public var subject: String
        public var version: Int
    }

    public init() {}

    static func identity(_ type: String, _ schema: String, _ refs: [SchemaReference]) -> String {
        type + "\u{0}" + schema + SchemaReference.identity(refs)
    }

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
            let refs = (try? SchemaReference.list(value["references"])) ?? []
            var list = subjects[subject] ?? []
            let at = list.firstIndex { $0.version == version }
            // Concurrent writers (see `SchemaRegistryService`): the first record for an id, and for a live subject
            // version, wins; a later different one is dropped (Confluent readers also drop an id reused for other
            // text). A dropped record over a winner is remembered so that the winner gets rewritten after it.
            let idTaken = byId[id].map { $0.schema != text || $0.schemaType != type || $0.references != refs } ?? false
            let versionTaken = at.map {
                list[$0].id != id || list[$0].schema != text || list[$0].schemaType != type || list[$0].references != refs
            } ?? false
            if idTaken || versionTaken {
                if at != nil { overwritten.insert(key) }
                return
            }
            overwritten.remove(key)
            let v = RegisteredSchema(subject: subject, version: version, id: id, schemaType: type, schema: text,
                                     deleted: value["deleted"]?.boolValue ?? false, references: refs)
            if let at { list[at] = v } else { list.append(v); list.sort { $0.version < $1.version } }
            subjects[subject] = list
            byId[id] = (type, text, refs)
            if idByText[Self.identity(type, text, refs)] == nil { idByText[Self.identity(type, text, refs)] = id }
            maxId = max(maxId, id)
        case "CONFIG":
            let level = value?["compatibilityLevel"]?.stringValue.flatMap(CompatibilityLevel.init(text:))
            if let subject { subjectLevels[subject] = level } else { globalLevel = level }
        case "MODE":
            let mode = value?["mode"]?.stringValue.flatMap(RegistryMode.init(text:))
            if let subject { subjectModes[subject] = mode } else { globalMode = mode }
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

    /// The mode in force for `subject` (nil: the global one); see `RegistryMode`.
    public func mode(_ subject: String?) -> RegistryMode {
        if globalMode == .readOnlyOverride { return .readOnlyOverride }
        return subject.flatMap { subjectModes[$0] } ?? globalMode ?? .readWrite
    }

    public func subjectMode(_ subject: String) -> RegistryMode? { subjectModes[subject] }

    public func live(_ subject: String, deleted: Bool = false) -> [RegisteredSchema] {
        (subjects[subject] ?? []).filter { deleted || !$0.deleted }
    }

    public func subjectNames(deleted: Bool, prefix: String) -> [String] {
        subjects.keys.filter { $0.hasPrefix(prefix) && !live($0, deleted: deleted).isEmpty }.sorted()
    }

    public func schema(id: Int) throws(SchemaRegistryError) -> (schemaType: String, schema: String, references: [SchemaReference]) {
        guard let s = byId[id] else { throw .schemaNotFound("Schema \(id) not found") }
        return s
    }

    /// The ids of the live schemas that refer to `subject` version `version`.
    public func referencedBy(_ subject: String, _ version: Int) -> [Int] {
        let ids = subjects.values.flatMap { $0 }.filter { v in
            !v.deleted && v.references.contains { $0.subject == subject && $0.version == version }
        }.map(\.id)
        return Set(ids).sorted()
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

    /// The schemas `refs` resolve to, dependencies first (each reference's own references before it), each once.
    /// Soft-deleted versions still resolve (a schema referring to them stays readable); a missing one is a 42201.
    func resolve(_ refs: [SchemaReference]) throws(SchemaRegistryError) -> [RegisteredSchema] {
        var out: [RegisteredSchema] = []
        var seen = Set<SchemaKey>()
        func visit(_ r: SchemaReference, depth: Int) throws(SchemaRegistryError) {
            guard seen.insert(SchemaKey(subject: r.subject, version: r.version)).inserted else { return }
            guard depth < 32 else { throw .invalidSchema("Invalid schema: references nested deeper than 32 levels at \(r.subject) version \(r.version)") }
            guard let v = subjects[r.subject]?.first(where: { $0.version == r.version }) else {
                throw .invalidSchema("Invalid schema: reference '\(r.name)' to subject '\(r.subject)' version \(r.version) not found")
            }
            for inner in v.references { try visit(inner, depth: depth + 1) }
            out.append(v)
        }
        for r in refs { try visit(r, depth: 0) }
        return out
    }

    /// An Avro schema with its references' named types defined (see `AvroSchemaParser.parse(_:referenced:)`).
    func avro(_ text: String, _ refs: [SchemaReference]) throws(SchemaRegistryError) -> (schema: AvroSchema, known: Set<String>) {
        let referenced = try resolve(refs).filter { $0.schemaType == "AVRO" }.map(\.schema)
        do { return try AvroSchemaParser.parse(text, referenced: referenced) } catch {
            throw .invalidSchema("Invalid schema \(text.prefix(200)), details: \(error)")
        }
    }

    /// The canonical text of a schema as registered (Avro: `Schema.toString()`, referenced named types by name), or
    /// 42201.
    public func canonical(_ text: String, type: String, references: [SchemaReference] = []) throws(SchemaRegistryError) -> String {
        switch type {
        case "AVRO":
            let (schema, known) = try avro(text, references)
            return AvroSchemaWriter.write(schema, known: known)
        case "JSON":
            // Kept as registered, but it must be JSON (as Confluent's registry checks): compatibility checks later
            // parse every stored version.
            do { _ = try JSONReader.parse(text) } catch { throw .invalidSchema("Invalid schema \(text.prefix(200)), details: \(error)") }
            _ = try resolve(references)
            return text
        case "PROTOBUF":
            _ = try resolve(references)
            return text
        default:
            throw .invalidSchema("Invalid schema type \(type)")
        }
    }

    public func lookup(_ subject: String, _ text: String, type: String, references: [SchemaReference] = [],
                       deleted: Bool) throws(SchemaRegistryError) -> RegisteredSchema {
        let list = live(subject, deleted: deleted)
        guard !list.isEmpty else { throw .subjectNotFound(subject) }
        let c = try canonical(text, type: type, references: references)
        guard let v = list.last(where: { $0.schema == c && $0.schemaType == type && $0.references == references }) else {
            throw .schemaNotFound()
        }
        return v
    }

    /// Incompatibility messages of the canonical `text` against the versions the subject's level demands (or
    /// `against` only). AVRO, PROTOBUF and JSON each have their own rules (`AvroCompatibility`,
    /// `ProtobufCompatibility`, `JsonSchemaCompatibility`); a schema of another type than the version it is checked
    /// against is incompatible with it.
    public func incompatibilities(_ subject: String, _ text: String, type: String, references: [SchemaReference] = [],
                                  against: [RegisteredSchema]? = nil) throws(SchemaRegistryError) -> [String] {
        let level = level(subject)
        guard level != .none else { return [] }
        let all = live(subject)
        let targets = against ?? (level.transitive ? all : Array(all.suffix(1)))
        guard !targets.isEmpty else { return [] }
        let check: (_ reader: Side, _ writer: Side) throws(SchemaRegistryError) -> [String]
        switch type {
        case "AVRO": check = avroCheck
        case "PROTOBUF": check = { (r, w) throws(SchemaRegistryError) in try ProtobufCompatibility.check(reader: r.text, writer: w.text) }
        case "JSON": check = { (r, w) throws(SchemaRegistryError) in try JsonSchemaCompatibility.check(reader: r.text, writer: w.text) }
        default: return []
        }
        var out: [String] = []
        for t in targets {
            guard t.schemaType == type else {
                out.append("Incompatible because of different schema type, version: \(t.version)")
                continue
            }
            let new = Side(text: text, references: references), old = Side(text: t.schema, references: t.references)
            if level.checksBackward { out += try check(new, old).map { "\($0), version: \(t.version)" } }
            if level.checksForward { out += try check(old, new).map { "\($0), version: \(t.version)" } }
        }
        return out
    }

    /// One side of a compatibility check.
    struct Side {
        var text: String
        var references: [SchemaReference]
    }

    func avroCheck(reader: Side, writer: Side) throws(SchemaRegistryError) -> [String] {
        guard let r = try? avro(reader.text, reader.references).schema, let w = try? avro(writer.text, writer.references).schema else {
            return []  // an older version this registry cannot parse is not held against a new one
        }
        return AvroCompatibility.check(reader: r, writer: w)
    }
}
