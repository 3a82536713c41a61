import SQL
import SluiceAPI

/// Answers the processor's catalog questions (primary keys, NOT NULL, type descriptions) from `pg_catalog` over an
/// ordinary SQL connection. All values are bound parameters.
struct PgCatalog: CatalogSource {
    let connection: any DatabaseConnection

    func tableInfo(_ id: TableId) throws -> TableSchema.CatalogInfo {
        let pk = try connection.queryAll("""
            SELECT a.attname::text FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = to_regclass(format('%I.%I', $1::text, $2::text)) AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)
            """, [.text(id.schema), .text(id.table)]).rows.compactMap { $0.first?.textValue }
        let notNull = try connection.queryAll("""
            SELECT attname::text FROM pg_attribute
            WHERE attrelid = to_regclass(format('%I.%I', $1::text, $2::text)) AND attnum > 0 AND NOT attisdropped AND attnotnull
            """, [.text(id.schema), .text(id.table)]).rows.compactMap { $0.first?.textValue }
        let identity = pk.isEmpty ? try connection.queryAll("""
            SELECT a.attname::text FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = to_regclass(format('%I.%I', $1::text, $2::text)) AND i.indisreplident
            ORDER BY array_position(i.indkey::int2[], a.attnum)
            """, [.text(id.schema), .text(id.table)]).rows.compactMap { $0.first?.textValue } : []
        var defaults: [String: String] = [:]
        for r in try connection.queryAll("""
            SELECT a.attname::text, pg_get_expr(d.adbin, d.adrelid)::text FROM pg_attribute a
            JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = to_regclass(format('%I.%I', $1::text, $2::text)) AND a.attnum > 0 AND NOT a.attisdropped
              AND a.atthasdef AND a.attgenerated = ''
            """, [.text(id.schema), .text(id.table)]).rows {
            if let name = r[0].textValue, let expr = r[1].textValue { defaults[name] = expr }
        }
        return TableSchema.CatalogInfo(primaryKey: pk.isEmpty ? nil : pk, notNull: Set(notNull),
                                       identityIndex: identity.isEmpty ? nil : identity, defaults: defaults)
    }

    func type(oid: UInt32) throws -> PgType? {
        let rows = try connection.queryAll("""
            SELECT t.typname::text, t.typtype::text, t.typelem::bigint, t.typbasetype::bigint, t.typtypmod::bigint, t.typcategory::text
            FROM pg_type t WHERE t.oid = $1::bigint::oid
            """, [.int(Int64(oid))]).rows
        guard let r = rows.first, let name = r[0].textValue else { return nil }
        let typtype = r[1].textValue ?? "b"
        let elem = UInt32(truncatingIfNeeded: r[2].intValue ?? 0)
        switch typtype {
        case "e":
            let labels = try connection.queryAll(
                "SELECT enumlabel::text FROM pg_enum WHERE enumtypid = $1::bigint::oid ORDER BY enumsortorder",
                [.int(Int64(oid))]).rows.compactMap { $0.first?.textValue }
            return PgType(oid: oid, name: name, kind: .enumeration(labels))
        case "d":
            return PgType(oid: oid, name: name, kind: .domain(base: UInt32(truncatingIfNeeded: r[3].intValue ?? 0),
                                                                typeModifier: Int32(truncatingIfNeeded: r[4].intValue ?? -1)))
        case "b" where r[5].textValue == "A" && elem != 0:
            return PgType(oid: oid, name: name, kind: .array(element: elem))
        case "b":
            return PgType(oid: oid, name: name, kind: .base)
        default:
            return PgType(oid: oid, name: name, kind: .other)
        }
    }

    /// The columns of a table as a Relation message would describe them (for snapshots, which precede streaming).
    func relation(_ id: TableId) throws -> RelationMessage? {
        let rel = try connection.queryAll(
            "SELECT to_regclass(format('%I.%I', $1::text, $2::text))::oid::bigint", [.text(id.schema), .text(id.table)])
        guard let oid = rel.rows.first?.first?.intValue else { return nil }
        let pk = try tableInfo(id).primaryKey ?? []
        let cols = try connection.queryAll("""
            SELECT attname::text, atttypid::bigint, atttypmod::bigint FROM pg_attribute
            WHERE attrelid = $1::bigint::oid AND attnum > 0 AND NOT attisdropped ORDER BY attnum
            """, [.int(oid)]).rows.map { r in
            RelationMessage.Column(flags: pk.contains(r[0].textValue ?? "") ? 1 : 0, name: r[0].textValue ?? "",
                                   typeOID: UInt32(truncatingIfNeeded: r[1].intValue ?? 0),
                                   typeModifier: Int32(truncatingIfNeeded: r[2].intValue ?? -1))
        }
        return RelationMessage(oid: UInt32(truncatingIfNeeded: oid), namespace: id.schema, name: id.table,
                               replicaIdentity: .default, columns: cols)
    }

    /// Ordinary and partitioned tables outside the system schemas, partitions included: pgoutput streams a
    /// partition's changes under the partition's own name (unless `publish_via_partition_root`), so its topic needs
    /// the snapshot rows too; Debezium snapshots the parent and each partition. Sorted bytewise, as Debezium sorts
    /// table ids (the snapshot's first/last markers depend on it).
    func tables() throws -> [TableId] {
        try connection.queryAll("""
            SELECT n.nspname::text, c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
            ORDER BY n.nspname::text COLLATE "C", c.relname::text COLLATE "C"
            """).rows.map { TableId(schema: $0[0].textValue ?? "", table: $0[1].textValue ?? "") }
    }
}
