import SluiceAPI

/// A table's identity as Debezium names it (`schema.table`).
public struct TableId: Sendable, Hashable, CustomStringConvertible {
    public var schema: String
    public var table: String
    public init(schema: String, table: String) {
        self.schema = schema
        self.table = table
    }
    public var description: String { "\(schema).\(table)" }
}

/// Everything needed to turn a relation's tuples into Debezium key and value structs, computed once per Relation
/// message (or snapshot table) so each row is a loop over precomputed conversions.
public struct TableSchema: Sendable {
    public struct Column: Sendable {
        public var name: String
        /// Position in the pgoutput tuple / snapshot row.
        public var sourceIndex: Int
        public var schema: Schema
        public var conversion: ColumnConversion
        /// Position in the value struct.
        public var valueIndex: Int
        /// Position in the key struct, when part of the key.
        public var keyIndex: Int?
    }

    public var id: TableId
    public var topic: String
    public var columns: [Column]
    /// nil when the table has no primary key / replica identity (Debezium: null key without schema).
    public var keySchema: Schema?
    public var valueSchema: Schema
    public var envelopeSchema: Schema
    public var replicaIdentity: RelationMessage.ReplicaIdentity
    let converter: PgValueConverter

    /// Column metadata not present in pgoutput's Relation message, from the catalog.
    public struct CatalogInfo: Sendable, Hashable {
        /// Primary-key column names in key order (nil: use the relation's replica identity flags).
        public var primaryKey: [String]?
        /// Columns declared NOT NULL (required Connect fields); columns not listed are optional.
        public var notNull: Set<String>
        /// Columns of the `REPLICA IDENTITY USING INDEX` index, the key of a table without a primary key (as in
        /// Debezium, which reads it as the table's key in snapshots and streaming alike).
        public var identityIndex: [String]?
        /// Column → its DEFAULT expression (`pg_get_expr`), generated columns excluded: Debezium puts the value in
        /// the field schema's `default`.
        public var defaults: [String: String]
        public init(primaryKey: [String]? = nil, notNull: Set<String> = [], identityIndex: [String]? = nil,
                    defaults: [String: String] = [:]) {
            self.primaryKey = primaryKey
            self.notNull = notNull
            self.identityIndex = identityIndex
            self.defaults = defaults
        }
    }

    /// Builds the schemas. `keyColumns` overrides the key (`message.key.columns`); `includeColumn` applies the
    /// column include/exclude lists; columns of unknown types are left out unless `include.unknown.datatypes`.
    public init(relation: RelationMessage, prefix: String, registry: PgTypeRegistry, converter: PgValueConverter,
                catalog: CatalogInfo = CatalogInfo(), keyColumns: [String]? = nil,
                includeColumn: (String) -> Bool = { _ in true }) {
        let schemaName = relation.namespace.isEmpty ? "pg_catalog" : relation.namespace
        self.id = TableId(schema: schemaName, table: relation.name)
        self.topic = TopicNames(prefix: prefix).table(schema: schemaName, table: relation.name)
        self.replicaIdentity = relation.replicaIdentity
        self.converter = converter
        // REPLICA IDENTITY FULL flags every column as "key" in the Relation message: that is the old-row image, not a
        // key. Debezium gives such a table (without primary key) a null key and plain `u` updates.
        let identityFlags = relation.replicaIdentity == .full ? [] : relation.columns.filter(\.isKey).map(\.name)
        let keyNames: [String] = keyColumns ?? catalog.primaryKey ?? catalog.identityIndex ?? identityFlags
        var cols: [Column] = []
        var valueFields: [(String, Schema)] = []
        for (i, c) in relation.columns.enumerated() where includeColumn(c.name) || keyNames.contains(c.name) {
            let optional = !catalog.notNull.contains(c.name)
            guard var (schema, conv) = converter.column(typeOID: c.typeOID, typeModifier: c.typeModifier, optional: optional, registry: registry) else {
                continue
            }
            // Only types Debezium has a default-value mapper for (domains, citext, ... have none).
            if let expr = catalog.defaults[c.name],
               let d = ColumnDefault.value(expression: expr, conversion: conv, type: registry[c.typeOID] ?? PgType(oid: c.typeOID, name: "?")) {
                schema = schema.withDefault(d)
            }
            cols.append(Column(name: c.name, sourceIndex: i, schema: schema, conversion: conv, valueIndex: valueFields.count, keyIndex: nil))
            valueFields.append((c.name, schema))
        }
        let base = TopicNames.sanitize("\(prefix).\(schemaName).\(relation.name)")
        var keyFields: [(String, Schema)] = []
        for name in keyNames {
            guard let ci = cols.firstIndex(where: { $0.name == name }) else { continue }
            cols[ci].keyIndex = keyFields.count
            keyFields.append((name, cols[ci].schema))
        }
        self.columns = cols
        self.keySchema = keyFields.isEmpty ? nil : Schema(type: .structure, name: base + ".Key", fields: keyFields)
        self.valueSchema = Schema(type: .structure, isOptional: true, name: base + ".Value", fields: valueFields)
        self.envelopeSchema = DebeziumSchemas.envelope(name: base + ".Envelope", row: valueSchema)
    }

    /// The value struct of a tuple. Unchanged-TOAST columns take the value from `previous` (REPLICA IDENTITY FULL)
    /// or the placeholder; missing or null required columns take their default, else Debezium's fallback (zero) value.
    public func row(_ tuple: TupleData, previous: TupleData? = nil) throws -> Struct {
        var values = [Value](repeating: .null, count: columns.count)
        // Fields are read in place through the buffer: binding each `Column` would copy (retain and release) its
        // name, schema and conversion for every column of every row.
        try columns.withUnsafeBufferPointer { cols in
            for i in cols.indices {
                let sourceIndex = cols[i].sourceIndex
                let raw = sourceIndex < tuple.columns.count ? tuple.columns[sourceIndex] : .null
                var v: Value
                switch raw {
                case .null: v = .null
                case .text(let bytes): v = try cols[i].conversion.convert(String(decoding: bytes, as: UTF8.self), column: cols[i].name)
                case .binary(let bytes): v = .bytes(bytes)
                case .unchangedToast:
                    if let previous, sourceIndex < previous.columns.count, case .text(let old) = previous.columns[sourceIndex] {
                        v = try cols[i].conversion.convert(String(decoding: old, as: UTF8.self), column: cols[i].name)
                    } else {
                        v = converter.unavailableValue(for: cols[i].schema)
                    }
                }
                // A required column missing from a key-only old tuple: the column's default, else Debezium's fallback.
                if v.isNull && !cols[i].schema.isOptional { v = cols[i].schema.defaultValue ?? Self.fallback(cols[i].schema) }
                values[cols[i].valueIndex] = v
            }
        }
        return Struct(schema: valueSchema, values: values)
    }

    /// The key struct of a value struct built by `row`, or nil for keyless tables.
    public func key(of row: Struct) -> Struct? {
        guard let keySchema else { return nil }
        var values = [Value](repeating: .null, count: keySchema.fields.count)
        for c in columns { if let k = c.keyIndex { values[k] = row[c.valueIndex] } }
        return Struct(schema: keySchema, values: values)
    }

    /// What Debezium's converters return for a null in a required column (key-only old tuples).
    static func fallback(_ schema: Schema) -> Value {
        switch schema.type {
        case .boolean: return .boolean(false)
        case .int8: return .int8(0)
        case .int16: return .int16(0)
        case .int32: return .int32(0)
        case .int64: return .int64(0)
        case .float32: return .float32(0)
        case .float64: return .float64(0)
        case .string:
            if schema.name == DebeziumTypes.zonedTimestamp { return .string("1970-01-01T00:00:00Z") }
            if schema.name == DebeziumTypes.zonedTime { return .string("00:00:00Z") }
            return .string("")
        case .bytes:
            if Logical.isDecimal(schema) { return .decimal(ConnectDecimal(unscaled: 0, scale: Logical.scale(of: schema))) }
            return .bytes([])
        case .array: return .array([])
        case .map: return .map([])
        case .structure:
            return .structure(Struct(schema: schema, values: schema.fields.map { fallback($0.schema) }))
        }
    }
}
