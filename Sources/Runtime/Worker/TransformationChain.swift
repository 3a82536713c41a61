import SluiceAPI

/// The configured SMTs of a connector, applied in order, each optionally guarded by a predicate
/// (`transforms.<alias>.predicate`, `.negate`), exactly as Kafka Connect's `TransformationChain`.
struct TransformationChain: Sendable {
    struct Stage: Sendable {
        let alias: String
        let transform: any Transformation
        let predicate: (any Predicate)?
        let negate: Bool
        /// The same transform seen as `InPlaceTransformation` when it is one: it rewrites the record without copying.
        let inPlace: (any InPlaceTransformation)?
    }

    /// A stage's in-place transform referenced without ownership (`stages` owns it), so that calling it per record
    /// costs no reference counting.
    struct Unowned: Sendable {
        unowned(unsafe) let transform: any InPlaceTransformation
    }

    let stages: [Stage]
    /// When every stage rewrites in place and none has a predicate (the usual chain): their transforms, run
    /// without copying `Stage` values (each copy retains and releases its transform, predicate and alias).
    let inPlaceOnly: [Unowned]?
    var isEmpty: Bool { stages.isEmpty }

    init(stages: [Stage]) {
        self.stages = stages
        let fast = stages.compactMap { s in s.predicate == nil ? s.inPlace.map(Unowned.init) : nil }
        self.inPlaceOnly = fast.count == stages.count ? fast : nil
    }

    static let empty = TransformationChain(stages: [])

    /// Source records: transforms that can rewrite in place do, the others return a new record. Nil when a stage
    /// dropped the record.
    func apply(_ record: SourceRecord) throws -> SourceRecord? {
        try run(record) { t, r in try t.applyInPlace(&r) }
    }

    /// Sink records; see the source overload.
    func apply(_ record: SinkRecord) throws -> SinkRecord? {
        try run(record) { t, r in try t.applyInPlace(&r) }
    }

    private func run<R: ConnectRecord>(_ record: R, inPlace: (any InPlaceTransformation, inout R) throws -> Bool) throws -> R? {
        var current = record
        if let fast = inPlaceOnly {
            for i in fast.indices {
                if try !inPlace(fast[i].transform, &current) { return nil }
            }
            return current
        }
        for s in stages {
            if let p = s.predicate, p.test(current) == s.negate { continue }
            if let fast = s.inPlace {
                if try !inPlace(fast, &current) { return nil }
            } else {
                guard let next = try s.transform.apply(current) else { return nil }
                current = next
            }
        }
        return current
    }

    func close() { for s in stages { s.transform.close() } }

    static func make(config: [String: String], registry: PluginRegistry) throws -> TransformationChain {
        let aliases = list(config["transforms"])
        if aliases.isEmpty { return .empty }
        var predicates: [String: any Predicate] = [:]
        for alias in list(config["predicates"]) {
            let typeKey = "predicates.\(alias).type"
            guard let cls = config[typeKey] else { throw ConnectError.invalidConfig(typeKey, nil, "Missing required configuration \"\(typeKey)\" which has no default value.") }
            let d = try registry.require(cls, types: [.predicate], key: typeKey)
            guard case .predicate(let make) = d.factory else { continue }
            let p = make()
            try p.configure(prefixed(config, "predicates.\(alias)."))
            predicates[alias] = p
        }
        var stages: [Stage] = []
        for alias in aliases {
            let typeKey = "transforms.\(alias).type"
            guard let cls = config[typeKey] else { throw ConnectError.invalidConfig(typeKey, nil, "Missing required configuration \"\(typeKey)\" which has no default value.") }
            let d = try registry.require(cls, types: [.transformation], key: typeKey)
            guard case .transformation(let make) = d.factory else { continue }
            let t = make()
            var props = prefixed(config, "transforms.\(alias).")
            let predicateName = props.removeValue(forKey: "predicate")
            let negate = props.removeValue(forKey: "negate")?.lowercased() == "true"
            try t.configure(props)
            var predicate: (any Predicate)?
            if let predicateName, !predicateName.isEmpty {
                guard let p = predicates[predicateName] else {
                    throw ConnectError.invalidConfig("transforms.\(alias).predicate", predicateName, "Predicate \(predicateName) is not listed in `predicates`")
                }
                predicate = p
            }
            stages.append(Stage(alias: alias, transform: t, predicate: predicate, negate: negate, inPlace: t as? any InPlaceTransformation))
        }
        return TransformationChain(stages: fused(stages))
    }

    /// Runs of at least two predicate-free stages that describe themselves as field programs on the same side
    /// become one `FieldProgramChain` stage (one pass per record instead of one per stage; same results).
    static func fused(_ stages: [Stage]) -> [Stage] {
        var out: [Stage] = []
        var run: [(Stage, any FieldProgramTransformation)] = []
        func flush() {
            if run.count >= 2, let chain = FieldProgramChain(run.map(\.1)) {
                out.append(Stage(alias: run.map(\.0.alias).joined(separator: ","), transform: chain, predicate: nil,
                                 negate: false, inPlace: chain))
            } else {
                out += run.map(\.0)
            }
            run = []
        }
        for s in stages {
            if s.predicate == nil, let p = s.transform as? any FieldProgramTransformation,
               run.last.map({ $0.1.transformsKey == p.transformsKey }) ?? true {
                run.append((s, p))
                continue
            }
            flush()
            if s.predicate == nil, let p = s.transform as? any FieldProgramTransformation {
                run.append((s, p))
            } else {
                out.append(s)
            }
        }
        flush()
        return out
    }

    static func list(_ s: String?) -> [String] {
        (s ?? "").split(separator: ",").map { String($0).trimmedWS }.filter { !$0.isEmpty }
    }

    static func prefixed(_ config: [String: String], _ prefix: String) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in config where k.hasPrefix(prefix) { out[String(k.dropFirst(prefix.count))] = v }
        return out
    }
}
