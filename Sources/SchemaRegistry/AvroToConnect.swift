import SluiceAPI

/// Avro schema → Connect schema, as Confluent's `AvroData.toConnectSchema` maps it: `["null",T]` unions become
/// optional T, `connect.*` props restore what `AvroFromConnect` wrote (name, version, doc, parameters, default,
/// INT8/INT16), logical types become Connect's Decimal/Date/Time/Timestamp, `MapEntry` arrays become maps.
struct AvroToConnect {
    static let unionName = "io.confluent.connect.avro.Union"
    var connectMetaData = true

    /// The Connect schema of a top-level value; `version` (the registry version) is used when the schema carries no
    /// `connect.version`.
    static func convert(_ a: AvroSchema, version: Int32? = nil, connectMetaData: Bool = true) throws(AvroSchemaError) -> Schema {
        let c = AvroToConnect(connectMetaData: connectMetaData)
        return try c.schema(a, optional: false, fieldDefault: nil, fieldDoc: nil, version: version)
    }

    func schema(_ a: AvroSchema, optional: Bool, fieldDefault: JSONValue?, fieldDoc: String?, version: Int32? = nil) throws(AvroSchemaError) -> Schema {
        var b: SchemaBuilder
        let logical = a.logicalType
        switch a.kind {
        case .null:
            throw AvroSchemaError("Standalone null schemas are not supported by this converter")
        case .boolean: b = SchemaBuilder(type: .boolean)
        case .int:
            switch (a.prop("connect.type"), logical) {
            case ("int8"?, _): b = SchemaBuilder(type: .int8)
            case ("int16"?, _): b = SchemaBuilder(type: .int16)
            case (_, "date"?): b = SchemaBuilder(type: .int32).name(Logical.dateName).version(1)
            case (_, "time-millis"?): b = SchemaBuilder(type: .int32).name(Logical.timeName).version(1)
            default: b = SchemaBuilder(type: .int32)
            }
        case .long:
            b = logical == "timestamp-millis" ? SchemaBuilder(type: .int64).name(Logical.timestampName).version(1) : SchemaBuilder(type: .int64)
        case .float: b = SchemaBuilder(type: .float32)
        case .double: b = SchemaBuilder(type: .float64)
        case .string: b = SchemaBuilder(type: .string)
        case .bytes, .fixed:
            if logical == "decimal" {
                let scale = a.props["scale"]?.int64Value ?? 0
                b = SchemaBuilder(type: .bytes).name(Logical.decimalName).version(1).parameter(Logical.scaleParameter, String(scale))
                if let p = a.props["precision"]?.int64Value, p != AvroFromConnect.defaultPrecision {
                    b = b.parameter(AvroFromConnect.precisionParam, String(p))
                }
            } else {
                b = SchemaBuilder(type: .bytes)
            }
            if a.kind == .fixed { b = b.parameter("connect.fixed.size", String(a.size)) }
        case .enumeration:
            b = SchemaBuilder(type: .string).parameter(AvroFromConnect.enumParam, a.fullName)
            for sym in a.symbols { b = b.parameter(AvroFromConnect.enumParam + "." + sym, sym) }
        case .array:
            guard let items = a.items else { throw AvroSchemaError("Array without items") }
            if items.kind == .record, isMapEntry(items), items.fields.count == 2 {
                b = SchemaBuilder.map(
                    try schema(items.fields[0].schema, optional: false, fieldDefault: nil, fieldDoc: nil),
                    try schema(items.fields[1].schema, optional: false, fieldDefault: nil, fieldDoc: nil))
            } else {
                b = SchemaBuilder.array(try schema(items, optional: false, fieldDefault: nil, fieldDoc: nil))
            }
        case .map:
            guard let values = a.items else { throw AvroSchemaError("Map without values") }
            b = SchemaBuilder.map(.string, try schema(values, optional: false, fieldDefault: nil, fieldDoc: nil))
        case .record:
            b = .struct()
            for f in a.fields {
                b.addField(f.name, try schema(f.schema, optional: false, fieldDefault: f.defaultValue, fieldDoc: f.doc))
            }
        case .union:
            if let (_, value) = a.optionalShape {
                return try schema(value, optional: true, fieldDefault: fieldDefault, fieldDoc: fieldDoc, version: version)
            }
            b = SchemaBuilder.struct().name(Self.unionName)
            for branch in a.branches where branch.kind != .null {
                b.addField(Self.unionFieldName(branch), try schema(branch, optional: true, fieldDefault: nil, fieldDoc: nil))
            }
            if a.branches.contains(where: { $0.kind == .null }) { b = b.optional() }
        }

        if let doc = fieldDoc ?? a.doc ?? (connectMetaData ? a.prop("connect.doc") : nil) { b = b.doc(doc) }
        if connectMetaData {
            if let v = a.props["connect.version"]?.int64Value, let v32 = Int32(exactly: v) { b = b.version(v32) }
            if let p = a.props["connect.parameters"]?.objectValue {
                for m in p.members { if let v = m.value.stringValue { b = b.parameter(m.key, v) } }
            }
            if let n = a.prop("connect.name") { b = b.name(n) }
        }
        if a.kind == .record && b.name == nil && !a.fullName.hasPrefix(AvroFromConnect.namespace + "." + AvroFromConnect.defaultName) {
            b = b.name(a.fullName)
        }
        if b.version == nil, let version { b = b.version(version) }
        if optional { b = b.optional() }
        // Defaults: the field's own, else connect.default. Null defaults mean "optional", not a value.
        let built = b.build()
        let defaultJSON = (fieldDefault.map { $0.isNull ? nil : $0 } ?? nil) ?? (connectMetaData ? a.props["connect.default"] : nil)
        if let d = defaultJSON, !d.isNull, let v = try? AvroJSONDefault.value(d, built) {
            b = b.defaultValue(v)
            return b.build()
        }
        return built
    }

    func isMapEntry(_ r: AvroSchema) -> Bool {
        (r.fullName == AvroFromConnect.namespace + "." + AvroFromConnect.mapEntryName || r.prop("connect.internal.type") == AvroFromConnect.mapEntryName)
            && r.fields.first?.name == "key" && r.fields.last?.name == "value"
    }

    /// The field name AvroData gives a union branch: the type name (`int`, `string`) or a named type's simple name.
    static func unionFieldName(_ a: AvroSchema) -> String {
        a.kind.isNamed ? (a.name ?? a.kind.rawValue) : a.kind.rawValue
    }
}
