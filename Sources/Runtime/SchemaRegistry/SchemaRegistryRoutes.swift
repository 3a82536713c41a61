import Foundation
import Hummingbird
import NIOCore
import SchemaRegistry
import SluiceAPI

/// Confluent Schema Registry's REST subset (schema-registry.md) over the embedded `SchemaRegistryService`: answers
/// in `application/vnd.schemaregistry.v1+json`, errors as `{"error_code":40401,"message":"…"}` with Confluent's codes.
struct SchemaRegistryRoutes<Context: RequestContext>: Sendable {
    let registry: SchemaRegistryService
    let bodyLimit = 16 << 20
    static var contentType: String { "application/vnd.schemaregistry.v1+json" }

    static func json(_ v: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: v.compactString)))
    }

    static func raw(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func error(_ e: SchemaRegistryError) -> Response {
        json(.object(["error_code": .int(Int64(e.code)), "message": .string(e.message)]), status: .init(code: e.status == 0 ? 500 : e.status))
    }

    /// Runs a handler, rendering registry errors in Confluent's shape.
    static func handle(_ body: () async throws -> Response) async -> Response {
        do { return try await body() } catch let e as SchemaRegistryError { return error(e) } catch {
            return Self.error(.init(500, 50001, "\(error)"))
        }
    }

    static func param(_ ctx: Context, _ name: String) -> String {
        let raw = ctx.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    static func flag(_ req: Request, _ name: String) -> Bool { req.uri.queryParameters.get(name)?.lowercased() == "true" }

    static func schemaJSON(_ v: RegisteredSchema, includeSubject: Bool = true) -> JSONValue {
        var o = JSONObject()
        if includeSubject { o["subject"] = .string(v.subject) }
        o["version"] = .int(Int64(v.version))
        o["id"] = .int(Int64(v.id))
        if v.schemaType != "AVRO" { o["schemaType"] = .string(v.schemaType) }
        if !v.references.isEmpty { o["references"] = .array(v.references.map(\.json)) }
        o["schema"] = .string(v.schema)
        return .object(o)
    }

    /// A schema body: `schema`, `schemaType` (AVRO when absent), `references`, and the `id`/`version` an import gives.
    struct SchemaBody {
        var schema: String
        var type: String
        var references: [SchemaReference]
        var id: Int?
        var version: Int?
    }

    func body(_ req: Request) async throws -> JSONValue {
        let buffer = try await req.body.collect(upTo: bodyLimit)
        do { return try JSONReader.parse(Array(buffer.readableBytesView)) } catch {
            throw SchemaRegistryError(400, 400, "Unrecognized request body: \(error)")
        }
    }

    func schemaBody(_ req: Request) async throws -> SchemaBody {
        let b = try await body(req)
        guard let s = b["schema"]?.stringValue, !s.isEmpty else { throw SchemaRegistryError.invalidSchema("Empty schema") }
        return SchemaBody(schema: s, type: b["schemaType"]?.stringValue ?? "AVRO", references: try SchemaReference.list(b["references"]),
                          id: b["id"]?.int64Value.map(Int.init), version: b["version"]?.int64Value.map(Int.init))
    }

    func register(on router: Router<Context>) {
        let reg = registry
        router.get("/") { _, _ in Self.json(.object(JSONObject())) }
        router.get("schemas/types") { _, _ in Self.json(.array([.string("JSON"), .string("PROTOBUF"), .string("AVRO")])) }
        router.get("schemas/ids/:id") { _, ctx in
            await Self.handle {
                let s = try reg.read { (s: RegistryState) throws(SchemaRegistryError) in try s.schema(id: Int(Self.param(ctx, "id")) ?? -1) }
                var o = JSONObject()
                if s.schemaType != "AVRO" { o["schemaType"] = .string(s.schemaType) }
                o["schema"] = .string(s.schema)
                if !s.references.isEmpty { o["references"] = .array(s.references.map(\.json)) }
                return Self.json(.object(o))
            }
        }
        router.get("schemas/ids/:id/schema") { _, ctx in
            await Self.handle {
                Self.raw(try reg.read { (s: RegistryState) throws(SchemaRegistryError) in try s.schema(id: Int(Self.param(ctx, "id")) ?? -1).schema })
            }
        }
        router.get("schemas/ids/:id/versions") { _, ctx in
            await Self.handle {
                let id = Int(Self.param(ctx, "id")) ?? -1
                let list = try reg.read { (s: RegistryState) throws(SchemaRegistryError) -> [(String, Int)] in
                    _ = try s.schema(id: id)
                    return s.versions(ofId: id)
                }
                return Self.json(.array(list.map { .object(["subject": .string($0.0), "version": .int(Int64($0.1))]) }))
            }
        }
        router.get("subjects") { req, _ in
            await Self.handle {
                let prefix = req.uri.queryParameters.get("subjectPrefix") ?? ""
                let names = try reg.read { (s: RegistryState) throws(SchemaRegistryError) in s.subjectNames(deleted: Self.flag(req, "deleted"), prefix: prefix) }
                return Self.json(.array(names.map { .string($0) }))
            }
        }
        router.post("subjects/:subject") { req, ctx in
            await Self.handle {
                let subject = Self.param(ctx, "subject")
                let b = try await schemaBody(req)
                let v = try reg.read { (s: RegistryState) throws(SchemaRegistryError) in
                    try s.lookup(subject, b.schema, type: b.type, references: b.references, deleted: Self.flag(req, "deleted"))
                }
                return Self.json(Self.schemaJSON(v))
            }
        }
        router.delete("subjects/:subject") { req, ctx in
            await Self.handle {
                let subject = Self.param(ctx, "subject")
                let versions = try reg.change { (s: RegistryState) throws(SchemaRegistryError) in
                    try s.planDeleteSubject(subject, permanent: Self.flag(req, "permanent"))
                }
                return Self.json(.array(versions.map { .int(Int64($0)) }))
            }
        }
        router.get("subjects/:subject/versions") { req, ctx in
            await Self.handle {
                let subject = Self.param(ctx, "subject")
                let list = try reg.read { (s: RegistryState) throws(SchemaRegistryError) -> [RegisteredSchema] in
                    let l = s.live(subject, deleted: Self.flag(req, "deleted"))
                    if l.isEmpty { throw .subjectNotFound(subject) }
                    return l
                }
                return Self.json(.array(list.map { .int(Int64($0.version)) }))
            }
        }
        router.post("subjects/:subject/versions") { req, ctx in
            await Self.handle {
                let subject = Self.param(ctx, "subject")
                let b = try await schemaBody(req)
                let id = try reg.register(subject: subject, schema: b.schema, schemaType: b.type, references: b.references,
                                          id: b.id, version: b.version)
                return Self.json(.object(["id": .int(Int64(id))]))
            }
        }
        router.get("subjects/:subject/versions/:version") { req, ctx in
            await Self.handle {
                let v = try reg.read { (s: RegistryState) throws(SchemaRegistryError) in
                    try s.version(Self.param(ctx, "subject"), Self.param(ctx, "version"), deleted: Self.flag(req, "deleted"))
                }
                return Self.json(Self.schemaJSON(v))
            }
        }
        router.get("subjects/:subject/versions/:version/schema") { req, ctx in
            await Self.handle {
                Self.raw(try reg.read { (s: RegistryState) throws(SchemaRegistryError) in
                    try s.version(Self.param(ctx, "subject"), Self.param(ctx, "version"), deleted: Self.flag(req, "deleted")).schema
                })
            }
        }
        router.get("subjects/:subject/versions/:version/referencedby") { _, ctx in
            await Self.handle {
                let ids = try reg.read { (s: RegistryState) throws(SchemaRegistryError) -> [Int] in
                    let v = try s.version(Self.param(ctx, "subject"), Self.param(ctx, "version"))
                    return s.referencedBy(v.subject, v.version)
                }
                return Self.json(.array(ids.map { .int(Int64($0)) }))
            }
        }
        router.delete("subjects/:subject/versions/:version") { req, ctx in
            await Self.handle {
                let v = try reg.change { (s: RegistryState) throws(SchemaRegistryError) in
                    try s.planDeleteVersion(Self.param(ctx, "subject"), Self.param(ctx, "version"), permanent: Self.flag(req, "permanent"))
                }
                return Self.json(.int(Int64(v)))
            }
        }
        registerConfig(on: router)
    }
}
