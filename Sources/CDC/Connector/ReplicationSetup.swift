import SQL
import SluiceAPI

/// Server checks, publication management and slot inspection: the one-time work before streaming, with errors that
/// name the fix.
enum ReplicationSetup {
    struct SlotState {
        var confirmedFlush: LSN?
        var activePID: Int64?
    }

    /// Checks the server can stream to this user (wal_level, REPLICATION); returns `server_version_num`.
    static func validateServer(_ c: any DatabaseConnection) throws -> Int {
        if let problem = try walLevelProblem(c) { throw ConnectError(.config, problem) }
        if let problem = try replicationPrivilegeProblem(c) { throw ConnectError(.config, problem) }
        return Int(try c.queryScalar("SELECT current_setting('server_version_num')::int")?.intValue ?? 0)
    }

    /// Why logical decoding is off, naming the fix; nil when `wal_level=logical`.
    static func walLevelProblem(_ c: any DatabaseConnection) throws -> String? {
        walLevelProblem(level: try c.queryScalar("SELECT current_setting('wal_level')")?.textValue ?? "?")
    }

    static func walLevelProblem(level: String) -> String? {
        guard level != "logical" else { return nil }
        return "PostgreSQL wal_level is '\(level)', but logical decoding needs wal_level=logical: set it in postgresql.conf "
            + "(ALTER SYSTEM SET wal_level = logical) and restart the server"
    }

    /// Why the connected user cannot open a replication connection, naming the fix; nil when it can (superuser,
    /// REPLICATION attribute, or Amazon RDS's rds_replication role).
    static func replicationPrivilegeProblem(_ c: any DatabaseConnection) throws -> String? {
        let row = try c.queryAll("""
            SELECT r.rolname::text, r.rolsuper OR r.rolreplication OR EXISTS (SELECT 1 FROM pg_roles g
              WHERE g.rolname = 'rds_replication' AND pg_has_role(r.oid, g.oid, 'member'))
            FROM pg_roles r WHERE r.rolname = current_user
            """).rows.first
        guard let row, case .bool(false) = row[1] else { return nil }
        let user = c.dialect.quote(identifier: row[0].textValue ?? "?")
        return "database.user \(user) lacks the REPLICATION privilege that logical replication needs: grant it "
            + "(ALTER ROLE \(user) WITH REPLICATION; on Amazon RDS: GRANT rds_replication TO \(user)) or use another user"
    }

    static func slot(_ c: any DatabaseConnection, name: String) throws -> SlotState? {
        let rows = try c.queryAll("""
            SELECT confirmed_flush_lsn::text, active_pid::bigint, plugin::text, database::text = current_database()
            FROM pg_replication_slots WHERE slot_name = $1
            """, [.text(name)]).rows
        guard let r = rows.first else { return nil }
        guard r[2].textValue == "pgoutput", case .bool(true) = r[3] else {
            throw ConnectError(.config, "replication slot '\(name)' exists but is not a pgoutput slot of this database; "
                + "choose another slot.name or drop it with SELECT pg_drop_replication_slot('\(name)')")
        }
        return SlotState(confirmedFlush: r[0].textValue.flatMap(LSN.init), activePID: r[1].intValue)
    }

    /// Creates the publication when missing, as `publication.autocreate.mode` says.
    static func ensurePublication(_ c: any DatabaseConnection, name: String, mode: String, tables: [TableId]) throws {
        let exists = try c.queryScalar("SELECT 1 FROM pg_publication WHERE pubname = $1", [.text(name)]) != nil
        let q = c.dialect
        switch mode {
        case "disabled":
            if !exists {
                throw ConnectError(.config, "publication '\(name)' does not exist and publication.autocreate.mode=disabled: "
                    + "create it (CREATE PUBLICATION \(q.quote(identifier: name)) FOR ALL TABLES) or change the mode")
            }
        case "filtered":
            let list = tables.map { q.quote(identifier: $0.schema) + "." + q.quote(identifier: $0.table) }.joined(separator: ", ")
            if !exists {
                try c.execute("CREATE PUBLICATION \(q.quote(identifier: name))" + (list.isEmpty ? "" : " FOR TABLE \(list)"))
            } else if !list.isEmpty {
                try c.execute("ALTER PUBLICATION \(q.quote(identifier: name)) SET TABLE \(list)")
            }
        case "no_tables":
            if !exists { try c.execute("CREATE PUBLICATION \(q.quote(identifier: name))") }
        default:  // all_tables
            if !exists { try c.execute("CREATE PUBLICATION \(q.quote(identifier: name)) FOR ALL TABLES") }
        }
    }

    /// Whether `table` is in the publication (signals are only seen through it).
    static func publishes(_ c: any DatabaseConnection, publication: String, table: TableId) throws -> Bool {
        try c.queryScalar("SELECT 1 FROM pg_publication_tables WHERE pubname = $1 AND schemaname = $2 AND tablename = $3",
                          [.text(publication), .text(table.schema), .text(table.table)]) != nil
    }

    /// Tables with neither a primary key nor a replica identity index cannot publish UPDATE/DELETE: warn by name.
    static func tablesWithoutIdentity(_ c: any DatabaseConnection, _ tables: [TableId]) throws -> [TableId] {
        var out: [TableId] = []
        for t in tables {
            let v = try c.queryScalar("""
                SELECT c.relreplident::text FROM pg_class c WHERE c.oid = to_regclass(format('%I.%I', $1::text, $2::text))
                  AND (c.relreplident = 'n' OR (c.relreplident = 'd' AND NOT EXISTS
                    (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)))
                """, [.text(t.schema), .text(t.table)])
            if v != nil { out.append(t) }
        }
        return out
    }
}
