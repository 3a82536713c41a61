import SluiceAPI

/// Registered `.proto` schema → Connect schema and decode plan, as Confluent 7.0.16's `ProtobufData.toConnectSchema`
/// does with default settings: the root message becomes a STRUCT named by its simple name with the registry
/// version; every field is optional and carries `io.confluent.connect.protobuf.Tag` = its number; `int32` with
/// `connect.type` metadata is INT8/INT16; `repeated XEntry {key = 1; value = 2}` is a MAP named
/// `snake_case(X)`; the well-known Timestamp/Date/TimeOfDay/Decimal messages are the Connect logical types; a
/// `google.protobuf` wrapper at the root is its primitive.
struct ProtobufToConnect {
    static let tag = ProtobufFromConnect.tagParam
    static let typeParam = "io.confluent.connect.protobuf.Type"
    static let enumParam = "io.confluent.connect.protobuf.Enum"

    let index: ProtoTypeIndex
    var inProgress: Set<String> = []
    /// Java builds one schema builder per message type and stamps each field's Tag on it; an array element of that
    /// message then carries the Tag of the last field that used it. Reproduced so read-back schemas are equal.
    var lastTag: [String: String] = [:]

    /// The root's Connect schema and plan; `unwrap` when the root is a wrapper whose field 1 is the value.
    struct Root {
        var schema: Schema
        var plan: ProtoReadMessage
        var unwrap: Bool
    }

    static func convert(_ file: ProtoFile, messageIndex: [Int], version: Int32?) throws(ConnectError) -> Root {
        guard let (msg, scope) = file.message(at: messageIndex) else {
            throw ConnectError(.serialization, "Invalid message indexes \(messageIndex): the schema has no such message")
        }
        var c = ProtobufToConnect(index: ProtoTypeIndex(file))
        let path = (file.package.map { $0.split(separator: ".").map(String.init) } ?? []) + scope
        let full = (path + [msg.name]).joined(separator: ".")
        if path == ["google", "protobuf"], let w = ProtoWellKnown.wrapperMessages.firstIndex(of: msg.name) {
            let types: [SchemaType] = [.float64, .float32, .int64, .int64, .int32, .int64, .boolean, .string, .bytes]
            let plan = try c.plan(msg, scope: path, full: full, optional: false, tag: nil, version: version)
            return Root(schema: Schema(type: types[w], version: version), plan: plan, unwrap: true)
        }
        let plan = try c.plan(msg, scope: path, full: full, optional: false, tag: nil, version: version)
        return Root(schema: plan.schema, plan: plan, unwrap: false)
    }

    mutating func plan(_ m: ProtoMessage, scope: [String], full: String, optional: Bool, tag: String?, version: Int32?) throws(ConnectError) -> ProtoReadMessage {
        guard !inProgress.contains(full) else {
            throw ConnectError(.serialization, "Message \(full) is recursive; Connect schemas cannot express it")
        }
        inProgress.insert(full)
        defer { inProgress.remove(full) }
        let inner = scope + [m.name]
        var fields: [(String, Schema)] = []
        var plans: [ProtoReadMessage.FieldPlan] = []
        var byNumber: [Int: Int] = [:]
        for f in m.fields {
            let (s, kind, absent) = try field(f, scope: inner)
            byNumber[f.number] = plans.count
            fields.append((f.name, s))
            plans.append(.init(name: f.name, kind: kind, repeated: f.label == .repeated && !Self.isMap(kind), absent: absent))
        }
        let schema = Schema(type: .structure, isOptional: optional, name: m.name, version: version,
                            parameters: tag.map { [SchemaParameter(Self.tag, $0)] }, fields: fields)
        let p = ProtoReadMessage(schema: schema)
        p.fields = plans
        p.byNumber = byNumber
        return p
    }

    static func isMap(_ k: ProtoReadKind) -> Bool { if case .map = k { return true } else { return false } }

    /// A field's Connect schema, decode kind and absent value.
    mutating func field(_ f: ProtoField, scope: [String]) throws(ConnectError) -> (Schema, ProtoReadKind, Value) {
        let tag = String(f.number)
        let (elem, kind, absent) = try type(f, scope: scope, tag: f.label == .repeated ? nil : tag)
        if Self.isMap(kind) {
            return (elem, kind, .map([]))
        }
        if f.label == .repeated {
            let item: Schema
            if case .message(let p) = kind, let last = lastTag[p.schema.name ?? ""] {
                item = Self.with(p.schema, optional: true, params: [SchemaParameter(Self.tag, last)])
            } else {
                item = elem
            }
            return (Schema(type: .array, isOptional: true, parameters: [SchemaParameter(Self.tag, tag)], valueSchema: item), kind, .array([]))
        }
        return (elem, kind, absent)
    }

    static func with(_ s: Schema, optional: Bool, params: [SchemaParameter]?) -> Schema {
        Schema(type: s.type, isOptional: optional, defaultValue: s.defaultValue, name: s.name, version: s.version, doc: s.doc,
               parameters: params, fields: s.fields.map { ($0.name, $0.schema) }, keySchema: s.keySchema, valueSchema: s.valueSchema)
    }

    /// The element type of `f` (the field itself when not repeated); `tag` nil for repeated elements.
    mutating func type(_ f: ProtoField, scope: [String], tag: String?) throws(ConnectError) -> (Schema, ProtoReadKind, Value) {
        func params(_ extra: [SchemaParameter] = []) -> [SchemaParameter]? {
            let all = extra + (tag.map { [SchemaParameter(Self.tag, $0)] } ?? [])
            return all.isEmpty ? nil : all
        }
        func prim(_ t: SchemaType, _ k: ProtoReadKind, _ absent: Value, _ extra: [SchemaParameter] = []) -> (Schema, ProtoReadKind, Value) {
            (Schema(type: t, isOptional: true, parameters: params(extra)), k, absent)
        }
        switch f.type {
        case "int32":
            switch f.metaValue(ProtobufFromConnect.connectTypeMeta) {
            case "int8": return prim(.int8, .int32(.int8), .int8(0))
            case "int16": return prim(.int16, .int32(.int16), .int16(0))
            default: return prim(.int32, .int32(.int32), .int32(0))
            }
        case "sint32": return prim(.int32, .sint32, .int32(0))
        case "sfixed32": return prim(.int32, .sfixed32, .int32(0))
        case "int64": return prim(.int64, .int64, .int64(0))
        case "sint64": return prim(.int64, .sint64, .int64(0))
        case "sfixed64": return prim(.int64, .sfixed64, .int64(0))
        case "uint32": return prim(.int64, .uint32, .int64(0), [SchemaParameter(Self.typeParam, "uint32")])
        case "fixed32": return prim(.int64, .fixed32, .int64(0), [SchemaParameter(Self.typeParam, "fixed32")])
        case "uint64": return prim(.int64, .uint64, .int64(0), [SchemaParameter(Self.typeParam, "uint64")])
        case "fixed64": return prim(.int64, .fixed64, .int64(0), [SchemaParameter(Self.typeParam, "fixed64")])
        case "float": return prim(.float32, .float, .float32(0))
        case "double": return prim(.float64, .double, .float64(0))
        case "bool": return prim(.boolean, .bool, .boolean(false))
        case "string": return prim(.string, .string, .string(""))
        case "bytes": return prim(.bytes, .bytes, .bytes([]))
        default: break
        }
        let resolved = index.resolve(f.type, scope: scope)
        switch resolved ?? f.type.trimmingPrefix(".") {
        case ProtoWellKnown.timestamp:
            return (Schema(type: .int64, isOptional: true, name: Logical.timestampName, version: 1, parameters: params()), .timestamp, .null)
        case ProtoWellKnown.date:
            return (Schema(type: .int32, isOptional: true, name: Logical.dateName, version: 1, parameters: params()), .date, .null)
        case ProtoWellKnown.timeOfDay:
            return (Schema(type: .int32, isOptional: true, name: Logical.timeName, version: 1, parameters: params()), .timeOfDay, .null)
        case ProtoWellKnown.decimal:
            var extra = [SchemaParameter(Logical.scaleParameter, f.metaValue("scale") ?? "0")]
            if let p = f.metaValue("precision") { extra.append(SchemaParameter(ProtobufFromConnect.precisionParam, p)) }
            return (Schema(type: .bytes, isOptional: true, name: Logical.decimalName, version: 1, parameters: params(extra)), .decimal, .null)
        default: break
        }
        guard let full = resolved else {
            throw ConnectError(.serialization, "Field \(f.name): type \(f.type) is not declared in the schema (imports other than the well-known types are not supported)")
        }
        if let e = index.enums[full] {
            var extra = [SchemaParameter(Self.enumParam, e.name)]
            var names: [Int: String] = [:]
            for c in e.constants {
                extra.append(SchemaParameter(Self.enumParam + "." + c.name, String(c.number)))
                if names[c.number] == nil { names[c.number] = c.name }
            }
            let zero = names[0] ?? e.constants.first?.name ?? ""
            return (Schema(type: .string, isOptional: true, name: e.name, parameters: params(extra)), .enumeration(names: names), .string(zero))
        }
        guard let m = index.messages[full] else {
            throw ConnectError(.serialization, "Field \(f.name): type \(f.type) is not declared in the schema")
        }
        let mScope = full.split(separator: ".").dropLast().map(String.init)
        if f.label == .repeated, m.name.hasSuffix("Entry"), m.fields.count == 2,
           let k = m.fields.first(where: { $0.name == "key" && $0.number == 1 }),
           let v = m.fields.first(where: { $0.name == "value" && $0.number == 2 }) {
            let inner = mScope + [m.name]
            let (ks, kk, ka) = try type(k, scope: inner, tag: "1")
            let (vs, vk, va) = try type(v, scope: inner, tag: "2")
            let name = Self.snake(String(m.name.dropLast(5)))
            let s = Schema(type: .map, isOptional: true, name: name, parameters: [SchemaParameter(Self.tag, String(f.number))], keySchema: ks, valueSchema: vs)
            return (s, .map(key: kk, keyAbsent: ka, value: vk, valueAbsent: va), .map([]))
        }
        let p = try plan(m, scope: mScope, full: full, optional: true, tag: tag, version: nil)
        if let tag { lastTag[m.name] = tag }
        return (p.schema, .message(p), .null)
    }

    /// `ConnectDefault1` → `connect_default1`, `MyMap` → `my_map` (Java's `toSnakeCase`).
    static func snake(_ s: String) -> String {
        var out = ""
        for (i, c) in s.enumerated() {
            if c.isUppercase {
                if i > 0 { out += "_" }
                out += c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}

extension String {
    func trimmingPrefix(_ p: String) -> String { hasPrefix(p) ? String(dropFirst(p.count)) : self }
}
