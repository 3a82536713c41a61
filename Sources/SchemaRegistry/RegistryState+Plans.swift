/// Changes, planned on a state as the records that make them (see `RegistryState`): nothing changes until the
/// records come back from the log.
extension RegistryState {
    /// The winners of `overwritten` keys, written again so that they are the last record of their key.
    public func repairRecords() -> [RegistryRecord] {
        overwritten.sorted { ($0.subject, $0.version) < ($1.subject, $1.version) }.compactMap { k in
            subjects[k.subject]?.first { $0.version == k.version }.map(RegistryRecord.schema)
        }
    }

    /// 42205 when the mode in force for `subject` refuses writes.
    public func checkWritable(_ subject: String?) throws(SchemaRegistryError) {
        if mode(subject).isReadOnly { throw .readOnly(subject) }
    }

    /// Registering `text` under `subject`: the id, and the records to write (none when already registered).
    ///
    /// `id` and `version` (a REST body's `"id"`/`"version"`) are only taken in IMPORT mode, which also skips the
    /// compatibility check: that is how another registry's schemas are migrated with their ids.
    public func planRegister(_ subject: String, _ text: String, type: String, references: [SchemaReference] = [],
                             id wantedId: Int? = nil, version wantedVersion: Int? = nil) throws(SchemaRegistryError) -> (id: Int, records: [RegistryRecord]) {
        try checkWritable(subject)
        let importing = mode(subject) == .importing
        if (wantedId ?? -1) >= 0 || (wantedVersion ?? -1) >= 1, !importing {
            throw .notPermitted("Subject \(subject) is not in import mode")
        }
        let c = try canonical(text, type: type, references: references)
        let all = subjects[subject] ?? []
        let same = { (v: RegisteredSchema) in v.schema == c && v.schemaType == type && v.references == references }
        if let existing = all.last(where: { !$0.deleted && same($0) }) {
            if let wantedId, wantedId >= 0, wantedId != existing.id { throw .idDoesNotMatch(existing.id, wantedId) }
            return (existing.id, [])
        }
        if !importing {
            let problems = try incompatibilities(subject, c, type: type, references: references)
            if !problems.isEmpty {
                let latest = live(subject).last?.version ?? 0
                throw .incompatible("Schema being registered is incompatible with an earlier schema for subject \"\(subject)\", details: [\(problems.joined(separator: ", "))]; latest version: \(latest)")
            }
        }
        let known = idByText[Self.identity(type, c, references)]
        var id = known ?? maxId + 1
        if let wantedId, wantedId >= 0 {
            if let known, known != wantedId { throw .idDoesNotMatch(known, wantedId) }
            if let other = byId[wantedId], other.schema != c || other.schemaType != type || other.references != references {
                throw .notPermitted("Overwrite new schema with id \(wantedId) is not permitted.")
            }
            id = wantedId
        }
        var version = (all.map(\.version).max() ?? 0) + 1
        if let wantedVersion, wantedVersion >= 1 {
            if all.contains(where: { $0.version == wantedVersion }) {
                throw .notPermitted("Overwrite new schema in subject \(subject) with version \(wantedVersion) is not permitted.")
            }
            version = wantedVersion
        }
        return (id, [RegistryRecord.schema(RegisteredSchema(subject: subject, version: version, id: id, schemaType: type,
                                                            schema: c, references: references))])
    }

    public func planDeleteVersion(_ subject: String, _ v: String, permanent: Bool) throws(SchemaRegistryError) -> (version: Int, records: [RegistryRecord]) {
        try checkWritable(subject)
        if permanent {
            let found = try version(subject, v, deleted: true)
            guard found.deleted else { throw .versionNotSoftDeleted(subject, found.version) }
            try checkNotReferenced(subject, found.version)
            return (found.version, [RegistryRecord.schemaTombstone(subject, found.version)])
        }
        if let n = Int(v), let d = (subjects[subject] ?? []).first(where: { $0.version == n && $0.deleted }) {
            throw .versionSoftDeleted(subject, d.version)
        }
        var found = try version(subject, v)
        try checkNotReferenced(subject, found.version)
        found.deleted = true
        return (found.version, [RegistryRecord.schema(found)])
    }

    public func planDeleteSubject(_ subject: String, permanent: Bool) throws(SchemaRegistryError) -> (versions: [Int], records: [RegistryRecord]) {
        try checkWritable(subject)
        let all = subjects[subject] ?? []
        guard !all.isEmpty else { throw .subjectNotFound(subject) }
        for v in all { try checkNotReferenced(subject, v.version) }
        if permanent {
            guard all.allSatisfy(\.deleted) else { throw .subjectNotSoftDeleted(subject) }
            return (all.map(\.version), all.map { RegistryRecord.schemaTombstone(subject, $0.version) } + [RegistryRecord.clearSubject(subject)])
        }
        let live = all.filter { !$0.deleted }
        guard let last = live.last else { throw .subjectSoftDeleted(subject) }
        let records = live.map { v -> RegistryRecord in var d = v; d.deleted = true; return RegistryRecord.schema(d) }
        return (live.map(\.version), records + [RegistryRecord.deleteSubject(subject, upTo: last.version)])
    }

    /// 42206 while a live schema refers to the version (Confluent refuses to delete what others import).
    func checkNotReferenced(_ subject: String, _ version: Int) throws(SchemaRegistryError) {
        if !referencedBy(subject, version).isEmpty { throw .referenceExists(subject, version) }
    }

    /// Setting (or, for nil, removing) the mode of `subject` or of the registry. Mode changes are allowed in
    /// read-only modes (else a registry could never leave them). IMPORT needs an empty registry (subject) unless
    /// `force`, so imported ids cannot collide with ones already given.
    public func planMode(_ subject: String?, _ mode: RegistryMode?, force: Bool) throws(SchemaRegistryError) -> [RegistryRecord] {
        if mode == .importing, !force {
            let existing = subject.map { !live($0).isEmpty } ?? subjects.values.contains { $0.contains { !$0.deleted } }
            if existing { throw .notPermitted("Cannot import since found existing subjects") }
        }
        return [RegistryRecord.mode(subject, mode)]
    }
}
