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

    let stages: [Stage]
    var isEmpty: Bool { stages.isEmpty }

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
        return TransformationChain(stages: stages)
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
