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
                    try s.checkWritable(subject)
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
        registerMode(on: router)
    }

    func registerMode(on router: Router<Context>) {
        let reg = registry
        router.get("mode") { _, _ in
            await Self.handle {
                Self.json(.object(["mode": .string(try reg.read { (s: RegistryState) throws(SchemaRegistryError) in s.mode(nil) }.rawValue)]))
            }
        }
        router.get("mode/:subject") { req, ctx in
            await Self.handle {
                let subject = Self.param(ctx, "subject")
                let m = try reg.read { (s: RegistryState) throws(SchemaRegistryError) -> RegistryMode in
                    if let m = s.subjectMode(subject) { return m }
                    if Self.flag(req, "defaultToGlobal") { return s.mode(nil) }
                    throw .subjectModeNotConfigured(subject)
                }
                return Self.json(.object(["mode": .string(m.rawValue)]))
            }
        }
        router.put("mode") { req, _ in await Self.handle { try await putMode(req, subject: nil) } }
        router.put("mode/:subject") { req, ctx in await Self.handle { try await putMode(req, subject: Self.param(ctx, "subject")) } }
        router.delete("mode/:subject") { _, ctx in
            await Self.handle {
                let subject = Self.param(ctx, "subject")
                let m = try reg.change { (s: RegistryState) throws(SchemaRegistryError) -> (RegistryMode, [RegistryRecord]) in
                    guard let m = s.subjectMode(subject) else { throw .subjectNotFound(subject) }
                    return (m, try s.planMode(subject, nil, force: true))
                }
                return Self.json(.object(["mode": .string(m.rawValue)]))
            }
        }
    }

    func putMode(_ req: Request, subject: String?) async throws -> Response {
        let b = try await body(req)
        let text = b["mode"]?.stringValue ?? ""
        guard let mode = RegistryMode(text: text) else { throw SchemaRegistryError.invalidMode(text) }
        try registry.change { (s: RegistryState) throws(SchemaRegistryError) in ((), try s.planMode(subject, mode, force: Self.flag(req, "force"))) }
        return Self.json(.object(["mode": .string(mode.rawValue)]))
    }

    func putConfig(_ req: Request, subject: String?) async throws -> Response {
        let b = try await body(req)
        let text = b["compatibility"]?.stringValue ?? ""
        guard let level = CompatibilityLevel(text: text) else { throw SchemaRegistryError.invalidCompatibility(text) }
        try registry.change { (s: RegistryState) throws(SchemaRegistryError) in
            try s.checkWritable(subject)
            return ((), [RegistryRecord.config(subject, level)])
        }
        return Self.json(.object(["compatibility": .string(level.rawValue)]))
    }

    func compatibility(_ req: Request, _ subject: String, _ version: String?) async throws -> Response {
        let b = try await schemaBody(req)
        let messages = try registry.read { (s: RegistryState) throws(SchemaRegistryError) -> [String] in
            let canonical = try s.canonical(b.schema, type: b.type, references: b.references)
            guard let version else { return try s.incompatibilities(subject, canonical, type: b.type, references: b.references) }
            if s.live(subject).isEmpty && (version == "latest" || version == "-1") { return [] }
            let target = try s.version(subject, version)
            return try s.incompatibilities(subject, canonical, type: b.type, references: b.references, against: [target])
        }
        var o: JSONObject = ["is_compatible": .bool(messages.isEmpty)]
        if Self.flag(req, "verbose") { o["messages"] = .array(messages.map { .string($0) }) }
        return Self.json(.object(o))
    }
}
