import SluiceAPI

/// Connect schema → `.proto` file, as Confluent 7.0.16's `ProtobufData.fromConnectSchema` with default settings:
/// a STRUCT becomes a message in `package` = the name before the last `.` (unnamed: `ConnectDefault1`, `…2`, counted
/// depth-first over unnamed structs and maps), fields numbered 1…n (or the `io.confluent.connect.protobuf.Tag`
/// parameter), nested structs as nested messages (`<Name>Message` when the name equals the field's), maps as
/// `repeated <Name>Entry {key = 1; value = 2}`, INT8/INT16 as `int32` with `connect.type` metadata, Decimal/Date/
/// Time/Timestamp as `confluent.type.Decimal` / `google.type.Date` / `google.type.TimeOfDay` /
/// `google.protobuf.Timestamp`. Optionality, docs, versions and other parameters are not written (7.0.16 drops them).
/// A top-level primitive is a `google.protobuf` wrapper message.
public struct ProtobufFromConnect {
    public static let tagParam = "io.confluent.connect.protobuf.Tag"
    public static let connectTypeMeta = "connect.type"
    public static let precisionParam = "connect.decimal.precision"

    /// A converted schema: the file, its registered text, the root message's index path and full name.
    public struct Result: Sendable {
        public var file: ProtoFile
        public var text: String
        public var messageIndex: [Int]
        public var fullName: String
    }

    var counter = 0
    var imports: [String] = []

    public static func convert(_ schema: Schema) throws(ConnectError) -> Result {
        if schema.type == .structure {
            var c = ProtobufFromConnect()
            let full = schema.name
            let dot = full?.lastIndex(of: ".")
            let package = dot.map { String(full![..<$0]) }
            let name = try c.messageName(schema, fieldName: nil)
            let msg = try c.message(schema, name: name)
            let file = ProtoFile(package: package, imports: c.imports, messages: [msg])
            return Result(file: file, text: ProtoPrinter.print(file), messageIndex: [0],
                          fullName: package.map { $0 + "." + name } ?? name)
        }
        guard schema.name == nil || !Self.isLogical(schema) else {
            throw ConnectError(.dataException, "ProtobufConverter cannot write a top-level \(schema.name ?? "") value; wrap it in a struct")
        }
        let index: Int
        switch schema.type {
        case .float64: index = 0
        case .float32: index = 1
        case .int64: index = 2
        case .int8, .int16, .int32: index = 4
        case .boolean: index = 6
        case .string: index = 7
        case .bytes: index = 8
        default:
            throw ConnectError(.dataException, "ProtobufConverter cannot write a top-level \(schema.type.javaName) value; wrap it in a struct")
        }
        return Result(file: ProtoFile(), text: ProtoWellKnown.wrappersText, messageIndex: [index],
                      fullName: "google.protobuf." + ProtoWellKnown.wrapperMessages[index])
    }

    /// Decided by the type first, so most fields (unnamed, or of another type) compare no name at all: this runs
    /// for every field of every record written.
    static func isLogical(_ s: Schema) -> Bool {
        guard let name = s.name else { return false }
        switch s.type {
        case .bytes: return name == Logical.decimalName
        case .int32: return name == Logical.dateName || name == Logical.timeName
        case .int64: return name == Logical.timestampName
        default: return false
        }
    }

    mutating func nextDefault() -> String {
        counter += 1
        return "ConnectDefault\(counter)"
    }

    mutating func messageName(_ s: Schema, fieldName: String?) throws(ConnectError) -> String {
        guard let full = s.name, !full.isEmpty else { return nextDefault() }
        let simple = full.split(separator: ".").last.map(String.init) ?? full
        return simple == fieldName ? simple + "Message" : simple
    }

    mutating func message(_ s: Schema, name: String) throws(ConnectError) -> ProtoMessage {
        try Self.checkName(name, what: "message")
        var m = ProtoMessage(name: name)
        for f in s.fields {
            try Self.checkName(f.name, what: "field")
            let number = try Self.number(f)
            m.fields.append(try field(f.name, number: number, f.schema, into: &m))
        }
        return m
    }

    static func number(_ f: Field) throws(ConnectError) -> Int {
        guard let t = f.schema.parameter(tagParam) else { return f.index + 1 }
        guard let n = Int(t), n > 0, n < 536_870_912 else {
            throw ConnectError(.dataException, "Field \(f.name): \(tagParam)=\(t) is not a valid protobuf field number")
        }
        return n
    }

    mutating func field(_ name: String, number: Int, _ s: Schema, into parent: inout ProtoMessage) throws(ConnectError) -> ProtoField {
        switch s.type {
        case .array:
            guard let item = s.valueSchema else { throw ConnectError(.dataException, "Array field \(name) has no value schema") }
            if item.type == .array || item.type == .map {
                throw ConnectError(.dataException, "Field \(name): an array of \(item.type.javaName) is not supported by ProtobufConverter")
            }
            var f = try field(name, number: number, item, into: &parent)
            f.label = .repeated
            return f
        case .map:
            guard let ks = s.keySchema, let vs = s.valueSchema else { throw ConnectError(.dataException, "Map field \(name) has no key/value schema") }
            let base: String
            if let full = s.name, !full.isEmpty { base = full.split(separator: ".").last.map(String.init) ?? full } else { base = nextDefault() }
            var entry = ProtoMessage(name: base + "Entry")
            entry.fields.append(try field("key", number: 1, ks, into: &entry))
            entry.fields.append(try field("value", number: 2, vs, into: &entry))
            try Self.addNested(entry, to: &parent)
            return ProtoField(label: .repeated, type: entry.name, name: name, number: number)
        case .structure:
            let msgName = try messageName(s, fieldName: name)
            let nested = try message(s, name: msgName)
            try Self.addNested(nested, to: &parent)
            return ProtoField(type: msgName, name: name, number: number)
        default:
            break
        }
        switch s.name {
        case Logical.decimalName:
            use(ProtoWellKnown.decimal)
            var meta: [ProtoField.MetaParam] = []
            if let p = s.parameter(Self.precisionParam) { meta.append(.init("precision", p, valueFirst: true)) }
            meta.append(.init("scale", String(Logical.scale(of: s)), valueFirst: true))
            return ProtoField(type: ProtoWellKnown.decimal, name: name, number: number, meta: meta)
        case Logical.dateName:
            use(ProtoWellKnown.date)
            return ProtoField(type: ProtoWellKnown.date, name: name, number: number)
        case Logical.timeName:
            use(ProtoWellKnown.timeOfDay)
            return ProtoField(type: ProtoWellKnown.timeOfDay, name: name, number: number)
        case Logical.timestampName:
            use(ProtoWellKnown.timestamp)
            return ProtoField(type: ProtoWellKnown.timestamp, name: name, number: number)
        default:
            break
        }
        switch s.type {
        case .int8: return ProtoField(type: "int32", name: name, number: number, meta: [.init(Self.connectTypeMeta, "int8")])
        case .int16: return ProtoField(type: "int32", name: name, number: number, meta: [.init(Self.connectTypeMeta, "int16")])
        case .int32: return ProtoField(type: "int32", name: name, number: number)
        case .int64: return ProtoField(type: "int64", name: name, number: number)
        case .float32: return ProtoField(type: "float", name: name, number: number)
        case .float64: return ProtoField(type: "double", name: name, number: number)
        case .boolean: return ProtoField(type: "bool", name: name, number: number)
        case .string: return ProtoField(type: "string", name: name, number: number)
        case .bytes: return ProtoField(type: "bytes", name: name, number: number)
        default: throw ConnectError(.dataException, "Field \(name): unsupported Connect type \(s.type.javaName)")
        }
    }

    /// Declares a nested message once; two different structs that would share a message name cannot both be
    /// declared, so that is an error rather than records encoded against the wrong declaration.
    static func addNested(_ m: ProtoMessage, to parent: inout ProtoMessage) throws(ConnectError) {
        guard let existing = parent.messages.first(where: { $0.name == m.name }) else {
            parent.messages.append(m)
            return
        }
        guard existing == m else {
            throw ConnectError(.dataException, "Two different structs map to the protobuf message \(parent.name).\(m.name); rename one (SetSchemaMetadata)")
        }
    }

    /// protobuf identifiers: a letter or `_`, then letters, digits, `_` (protobuf-java rejects anything else).
    static func checkName(_ n: String, what: String) throws(ConnectError) {
        let u = Array(n.utf8)
        func letter(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
        guard let first = u.first, letter(first), u.allSatisfy({ letter($0) || ($0 >= 48 && $0 <= 57) }) else {
            throw ConnectError(.dataException, "'\(n)' is not a valid protobuf \(what) name (letters, digits and _ only, not starting with a digit)")
        }
    }

    mutating func use(_ type: String) {
        if let i = ProtoWellKnown.importPath(type), !imports.contains(i) { imports.append(i) }
    }
}
