import SluiceAPI

/// Connect schema → Avro schema, as Confluent's `AvroData.fromConnectSchema` (7.x) builds it, so that the registered
/// text — and therefore the schema id — is the one a Java worker would register.
///
/// Props go in AvroData's insertion order: `connect.doc`, `connect.version`, `connect.parameters`, `connect.default`,
/// `connect.name`, `connect.type`, then `logicalType` (decimal puts `scale`/`precision` first).
struct AvroFromConnect {
    static let namespace = "io.confluent.connect.avro"
    static let defaultName = "ConnectDefault"
    static let mapEntryName = "MapEntry"
    static let enumParam = "io.confluent.connect.avro.Enum"
    static let precisionParam = "connect.decimal.precision"
    static let defaultPrecision: Int64 = 64

    var connectMetaData = true
    var enhancedSchemaSupport = false
    private var unnamedCount = 0

    init(connectMetaData: Bool, enhancedSchemaSupport: Bool) {
        self.connectMetaData = connectMetaData
        self.enhancedSchemaSupport = enhancedSchemaSupport
    }

    /// The Avro schema of a top-level value (optional → union with null).
    static func convert(_ s: Schema, connectMetaData: Bool = true, enhanced: Bool = false) throws(AvroSchemaError) -> AvroSchema {
        var c = AvroFromConnect(connectMetaData: connectMetaData, enhancedSchemaSupport: enhanced)
        return try c.schema(s, ignoreOptional: false)
    }

    static func split(_ name: String) -> (namespace: String?, name: String) {
        guard let dot = name.lastIndex(of: ".") else { return (nil, name) }
        return (String(name[..<dot]), String(name[name.index(after: dot)...]))
    }

    mutating func schema(_ s: Schema, ignoreOptional: Bool) throws(AvroSchemaError) -> AvroSchema {
        var namespace: String? = Self.namespace
        var name = Self.defaultName
        if let n = s.name { (namespace, name) = Self.split(n) }
        var props = JSONObject()
        var connectType: String?
        let kind: AvroSchema.Kind
        var fields: [AvroField] = []
        var items: AvroSchema?
        var recordName: String?
        var recordNamespace: String?
        var symbols: [String] = []
        switch s.type {
        case .int8: kind = .int; connectType = "int8"
        case .int16: kind = .int; connectType = "int16"
        case .int32: kind = .int
        case .int64: kind = .long
        case .float32: kind = .float
        case .float64: kind = .double
        case .boolean: kind = .boolean
        case .string:
            if enhancedSchemaSupport, let enumName = s.parameter(Self.enumParam) {
                symbols = (s.parameters ?? []).filter { $0.key.hasPrefix(Self.enumParam + ".") }.map(\.value)
                (recordNamespace, recordName) = Self.split(enumName)
                kind = .enumeration
            } else {
                kind = .string
            }
        case .bytes:
            kind = .bytes
            if s.name == Logical.decimalName {
                guard let scale = Int64(s.parameter(Logical.scaleParameter) ?? "") else {
                    throw AvroSchemaError("Decimal schema without a valid scale parameter")
                }
                props["scale"] = .int(scale)
                props["precision"] = .int(Int64(s.parameter(Self.precisionParam) ?? "") ?? Self.defaultPrecision)
            }
        case .array:
            guard let v = s.valueSchema else { throw AvroSchemaError("ARRAY schema without a value schema") }
            kind = .array
            items = try schema(v, ignoreOptional: false)
        case .map:
            guard let k = s.keySchema, let v = s.valueSchema else { throw AvroSchemaError("MAP schema without key/value schemas") }
            if k.type == .string && !k.isOptional {
                kind = .map
                items = try schema(v, ignoreOptional: false)
            } else {
                kind = .array
                var entryProps = JSONObject()
                let entryName: String
                if s.name == nil {
                    entryName = Self.mapEntryName
                } else {
                    entryName = name
                    entryProps["connect.internal.type"] = .string(Self.mapEntryName)
                }
                let entry = AvroSchema(
                    kind: .record, name: entryName, namespace: namespace,
                    fields: [try field("key", k), try field("value", v)], props: entryProps)
                items = entry
            }
        case .structure:
            kind = .record
            if s.name == nil {
                unnamedCount += 1
                recordName = unnamedCount == 1 ? Self.defaultName : Self.defaultName + String(unnamedCount)
            } else {
                recordName = name
            }
            recordNamespace = namespace
            for f in s.fields { fields.append(try field(f.name, f.schema)) }
        }

        if connectMetaData {
            if let doc = s.doc { props["connect.doc"] = .string(doc) }
            if let v = s.version { props["connect.version"] = .int(Int64(v)) }
            if let p = s.parameters {
                props["connect.parameters"] = .object(JSONObject(p.map { ($0.key, .string($0.value)) }))
            }
            if let d = s.defaultValue { props["connect.default"] = try Self.defaultJSON(s, d) }
            if let n = s.name { props["connect.name"] = .string(n) }
            if let t = connectType { props["connect.type"] = .string(t) }
        }
        switch s.name {
        case Logical.decimalName? where s.type == .bytes:
            // Avro's decimal(precision, scale) or, when it rejects them, AvroData's legacy prop: same text.
            props["logicalType"] = .string("decimal")
        case Logical.dateName? where s.type == .int32: props["logicalType"] = .string("date")
        case Logical.timeName? where s.type == .int32: props["logicalType"] = .string("time-millis")
        case Logical.timestampName? where s.type == .int64: props["logicalType"] = .string("timestamp-millis")
        default: break
        }

        let base: AvroSchema
        switch kind {
        case .record:
            base = AvroSchema(kind: .record, name: recordName, namespace: recordNamespace, fields: fields, props: props)
        case .enumeration:
            base = AvroSchema(kind: .enumeration, name: recordName, namespace: recordNamespace, symbols: symbols, props: props)
        case .array, .map:
            base = AvroSchema(kind: kind, items: items, props: props)
        default:
            base = .primitive(kind, props: props)
        }
        guard s.isOptional && !ignoreOptional else { return base }
        let null = AvroSchema.primitive(.null)
        return AvroSchema(kind: .union, branches: s.defaultValue != nil ? [base, null] : [null, base])
    }

    mutating func field(_ name: String, _ s: Schema) throws(AvroSchemaError) -> AvroField {
        var def: JSONValue?
        if let d = s.defaultValue {
            def = try Self.defaultJSON(s, d)
        } else if s.isOptional {
            def = .null
        }
        return AvroField(name: name, schema: try schema(s, ignoreOptional: false), doc: s.doc, defaultValue: def)
    }

    /// A Connect default value as Avro JSON (`AvroData.defaultValueFromConnect`).
    static func defaultJSON(_ s: Schema, _ v: Value) throws(AvroSchemaError) -> JSONValue {
        switch v {
        case .null: return .null
        case .boolean(let b): return .bool(b)
        case .int8(let i): return .int(Int64(i))
        case .int16(let i): return .int(Int64(i))
        case .int32(let i): return .int(Int64(i))
        case .int64(let i): return .int(i)
        case .float32(let f): return .double(Double(f))
        case .float64(let d): return .double(d)
        case .string(let t): return .string(t)
        case .bytes(let b): return .string(String(String.UnicodeScalarView(b.map { Unicode.Scalar($0) })))
        case .decimal(let d):
            return .string(String(String.UnicodeScalarView(d.twosComplementBytes.map { Unicode.Scalar($0) })))
        case .array(let a):
            guard let item = s.valueSchema else { return .array([]) }
            var out: [JSONValue] = []
            for e in a { out.append(try defaultJSON(item, e)) }
            return .array(out)
        case .map(let entries):
            guard let ks = s.keySchema, let vs = s.valueSchema else { return .object(JSONObject()) }
            if ks.type == .string && !ks.isOptional {
                var o = JSONObject()
                for e in entries { o[e.key.stringValue ?? ""] = try defaultJSON(vs, e.value) }
                return .object(o)
            }
            var out: [JSONValue] = []
            for e in entries {
                out.append(.object(JSONObject([("key", try defaultJSON(ks, e.key)), ("value", try defaultJSON(vs, e.value))])))
            }
            return .array(out)
        case .structure(let st):
            var o = JSONObject()
            for f in s.fields { o[f.name] = try defaultJSON(f.schema, st.values[f.index]) }
            return .object(o)
        }
    }
}
