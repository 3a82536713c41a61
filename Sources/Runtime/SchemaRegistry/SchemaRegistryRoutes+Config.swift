import Hummingbird
import SchemaRegistry
import SluiceAPI

/// `/config`, `/compatibility` and `/mode`.
extension SchemaRegistryRoutes {
    func registerConfig(on router: Router<Context>) {
        let reg = registry
        router.get("config") { _, _ in
            await Self.handle {
                let l = try reg.read { (s: RegistryState) throws(SchemaRegistryError) in s.level(nil) }
                return Self.json(.object(["compatibilityLevel": .string(l.rawValue)]))
            }
        }
        router.put("config") { req, _ in await Self.handle { try await putConfig(req, subject: nil) } }
        router.put("config/:subject") { req, ctx in await Self.handle { try await putConfig(req, subject: Self.param(ctx, "subject")) } }
        router.get("config/:subject") { req, ctx in
            await Self.handle {
                let subject = Self.param(ctx, "subject")
                let l = try reg.read { (s: RegistryState) throws(SchemaRegistryError) -> CompatibilityLevel in
                    if let l = s.subjectLevel(subject) { return l }
                    if Self.flag(req, "defaultToGlobal") { return s.level(nil) }
                    throw .subjectLevelNotConfigured(subject)
                }
                return Self.json(.object(["compatibilityLevel": .string(l.rawValue)]))
            }
        }
        router.delete("config/:subject") { _, ctx in
            await Self.handle {
                let subject = Self.param(ctx, "subject")
                let l = try reg.change { (s: RegistryState) throws(SchemaRegistryError) -> (CompatibilityLevel, [RegistryRecord]) in
                    guard let l = s.subjectLevel(subject) else { throw .subjectNotFound(subject) }
                    return (l, [RegistryRecord.config(subject, nil)])
                }
                return Self.json(.object(["compatibilityLevel": .string(l.rawValue)]))
            }
        }
        router.post("compatibility/subjects/:subject/versions/:version") { req, ctx in
            await Self.handle { try await compatibility(req, Self.param(ctx, "subject"), Self.param(ctx, "version")) }
        }
        router.post("compatibility/subjects/:subject/versions") { req, ctx in
            await Self.handle { try await compatibility(req, Self.param(ctx, "subject"), nil) }
        }
        router.get("mode") { _, _ in Self.json(.object(["mode": .string("READWRITE")])) }
        router.get("mode/:subject") { _, _ in Self.json(.object(["mode": .string("READWRITE")])) }
    }

    func putConfig(_ req: Request, subject: String?) async throws -> Response {
        let b = try await body(req)
        let text = b["compatibility"]?.stringValue ?? ""
        guard let level = CompatibilityLevel(text: text) else { throw SchemaRegistryError.invalidCompatibility(text) }
        try registry.change { (_: RegistryState) throws(SchemaRegistryError) in ((), [RegistryRecord.config(subject, level)]) }
        return Self.json(.object(["compatibility": .string(level.rawValue)]))
    }

    func compatibility(_ req: Request, _ subject: String, _ version: String?) async throws -> Response {
        let (schema, type) = try await schemaBody(req)
        let messages = try registry.read { (s: RegistryState) throws(SchemaRegistryError) -> [String] in
            let canonical = try RegistryState.canonical(schema, type: type)
            guard let version else { return try s.incompatibilities(subject, canonical, type: type) }
            if s.live(subject).isEmpty && (version == "latest" || version == "-1") { return [] }
            let target = try s.version(subject, version)
            return try s.incompatibilities(subject, canonical, type: type, against: [target])
        }
        var o: JSONObject = ["is_compatible": .bool(messages.isEmpty)]
        if Self.flag(req, "verbose") { o["messages"] = .array(messages.map { .string($0) }) }
        return Self.json(.object(o))
    }
}
