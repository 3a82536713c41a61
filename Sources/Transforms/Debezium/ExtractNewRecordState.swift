import JavaCompat
import SluiceAPI
import Synchronization

/// `io.debezium.transforms.ExtractNewRecordState` ("unwrap"): turns a Debezium change event envelope
/// (`before`/`after`/`source`/`op`, schema named `*.Envelope`) into the plain row state, so sinks such as the JDBC
/// sink can upsert it. Deletes and tombstones follow `delete.tombstone.handling.mode`; envelope metadata can be
/// copied into fields (`add.fields`) or headers (`add.headers`). Records that are not envelopes pass unchanged.
public final class ExtractNewRecordState: Transformation, Sendable {
    static let purpose = "source field insertion"
    public static let deletedField = "__deleted"
    static let deletedSchema = Schema.optionalString

    /// Per (row schema, envelope schema, rewrite or not): the output schema and the `add.fields` the envelope has.
    final class Plan: Sendable {
        let schema: Schema
        let added: [EnvelopeFieldReference]

        init(schema: Schema, added: [EnvelopeFieldReference]) {
            self.schema = schema
            self.added = added
        }
    }

    private let state = ConfiguredState<Config>("ExtractNewRecordState")
    private let cache = SchemaCache<Plan>()
    /// ReplaceField delegates for `drop.fields.header.name`, per side and field list, so their schema caches persist
    /// across records (Debezium builds a new delegate per record).
    private let dropDelegates = Mutex<[String: ReplaceField]>([:])
    /// Per envelope schema: the `add.headers` it can serve, with their header schemas.
    private let headerCache = SchemaCache<[(ref: EnvelopeFieldReference, schema: Schema)]>()
    /// Key and headers of the last delete this transformation passed on. Debezium's source creates a delete's
    /// tombstone with the delete's own (mutable) header object, so the headers `add.headers` put on the delete reach
    /// the tombstone too, before the tombstone's own `__op`; Debezium consumers see exactly that.
    private let lastDelete = Mutex<(key: Value, headers: Headers)?>(nil)

    public init() {}

    public func configure(_ configs: [String: String]) throws {
        try state.set(try Config(configs))
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let c = try state.get()
        if record.value.isNull {
            guard c.handling.keepTombstones else { return nil }
            var out = record
            if !c.addHeaders.isEmpty, let shared = lastDelete.withLock({ $0 }), shared.key == record.key {
                out.headers = shared.headers
            }
            for ref in c.addHeaders where ref.structName == nil && ref.field == "op" {
                out.headers.add(ref.newName, "d")
            }
            return out
        }
        guard let envelopeSchema = record.valueSchema, envelopeSchema.name?.hasSuffix(".Envelope") == true,
              case .structure(let envelope) = record.value
        else {
            return record  // Debezium logs "Expected Envelope for transformation, passing it unchanged"
        }
        var out = record
        if !c.addHeaders.isEmpty {
            let headers = try headerCache.value(for: envelopeSchema) {
                c.addHeaders.compactMap { ref in ref.schema(in: envelopeSchema).map { (ref: ref, schema: $0) } }
            }
            for h in headers { out.headers.add(h.ref.newName, schema: h.schema, value: h.ref.value(in: envelope)) }
        }
        let op = envelope["op"]?.stringValue
        let after = envelope["after"] ?? .null
        let before = envelope["before"] ?? .null
        if op == "t" || (after.isNull && before.isNull) { return nil }  // truncate (and messages) are dropped

        if after.isNull {
            if !c.addHeaders.isEmpty { lastDelete.withLock { $0 = (record.key, out.headers) } }
            if let routed = try route(c, before) { out.topic = routed }
            switch c.handling.onDelete {
            case .drop:
                return nil
            case .nullValue:
                out.valueSchema = envelopeSchema.field("after")?.schema
                out.value = .null
                return out
            case .tombstone:
                out.valueSchema = nil
                out.value = .null
                return out
            case .rewrite:
                let row = try Requirements.requireStruct(before, ExtractNewRecordState.purpose)
                out = try unwrap(out, row: row, envelope: envelope, deleted: "true", c)
                return try dropFields(out, c)
            }
        }
        let row = try Requirements.requireStruct(after, ExtractNewRecordState.purpose)
        if let routed = try route(c, after) { out.topic = routed }
        out = try unwrap(out, row: row, envelope: envelope, deleted: c.handling.rewrite ? "false" : nil, c)
        return try dropFields(out, c)
    }

    /// The topic named by `route.by.field` in the row, if configured and set.
    private func route(_ c: Config, _ row: Value) throws -> String? {
        guard let field = c.routeByField, case .structure(let s) = row else { return nil }
        guard s.schema.field(field) != nil else {
            throw ConnectError(.dataException, "\(field) is not a valid field name")
        }
        let v = try s.get(field)
        if v.isNull { return nil }
        return v.stringValue ?? JavaText.toString(v)
    }

    /// The row as the record value, plus the `add.fields` and the optional `__deleted` marker.
    private func unwrap<R: ConnectRecord>(
        _ record: R, row: Struct, envelope: Struct, deleted: String?, _ c: Config
    ) throws -> R {
        var out = record
        if c.addFields.isEmpty && deleted == nil {
            out.valueSchema = row.schema
            out.value = .structure(row)
            return out
        }
        let tag = deleted == nil ? 0 : 1
        let plan = try cache.value(for: row.schema, and: envelope.schema, tag: tag) {
            var b = SchemaUtil.copyBasics(row.schema, to: .structure)
            for f in row.schema.fields { b.addField(f.name, f.schema) }
            // Debezium 3.0 adds `__deleted` first, then the `add.fields` (checked against Debezium 3.0.7's output).
            if deleted != nil { b.addField(ExtractNewRecordState.deletedField, ExtractNewRecordState.deletedSchema) }
            var added: [EnvelopeFieldReference] = []
            for ref in c.addFields {
                if let s = ref.schema(in: envelope.schema) {
                    b.addField(ref.newName, s)
                    added.append(ref)
                }
            }
            return Plan(schema: b.build(), added: added)
        }
        var values = row.values
        values.reserveCapacity(plan.schema.fields.count)
        if deleted != nil && c.replaceNullWithDefault {
            // Debezium rewrites through InsertField, whose Struct.get puts column defaults in place of nulls.
            for f in row.schema.fields where values[f.index].isNull {
                if let d = f.schema.defaultValue { values[f.index] = d }
            }
        }
        if let deleted { values.append(.string(deleted)) }
        for ref in plan.added { values.append(ref.value(in: envelope)) }
        out.valueSchema = plan.schema
        out.value = .structure(Struct(schema: plan.schema, values: values))
        return out
    }

    /// Removes the fields named by the `drop.fields.header.name` header (a list, or comma-separated text).
    private func dropFields<R: ConnectRecord>(_ record: R, _ c: Config) throws -> R {
        guard let headerName = c.dropFieldsHeader, let header = record.headers.items.first(where: { $0.key == headerName })
        else { return record }
        let names: [String]
        switch header.value {
        case .array(let items): names = items.compactMap(\.stringValue)
        case .string(let s): names = s.split(separator: ",").map { String($0).trimmedSpaces }
        default: return record
        }
        if names.isEmpty { return record }
        var out = record
        if c.dropFieldsFromKey, !out.key.isNull {
            let drop = fieldsToDrop(out.keySchema, names, c)
            if !drop.isEmpty, let r = try dropDelegate(.key, drop).apply(out) { out = r }
        }
        let drop = fieldsToDrop(out.valueSchema, names, c)
        if !drop.isEmpty, let r = try dropDelegate(.value, drop).apply(out) { out = r }
        return out
    }

    private func dropDelegate(_ side: RecordSide, _ fields: [String]) -> ReplaceField {
        let key = side.rawValue + ":" + fields.joined(separator: ",")
        return dropDelegates.withLock { table in
            if let d = table[key] { return d }
            if table.count >= 64 { table.removeAll() }
            let d = ReplaceField(side, exclude: fields)
            table[key] = d
            return d
        }
    }

    private func fieldsToDrop(_ schema: Schema?, _ names: [String], _ c: Config) -> [String] {
        guard c.dropFieldsKeepSchemaCompatible else { return names }
        guard let schema else { return [] }
        return schema.fields.filter { $0.schema.isOptional && names.contains($0.name) }.map(\.name)
    }
}
