import Foundation
import SQL
import SluiceAPI
import Testing
@testable import CDC

/// Hostile identifiers in a CDC config never reach SQL unquoted: a table, its columns and the publication named with
/// quotes, semicolons, `DROP TABLE` and unicode. The connector creates the publication for that table (filtered
/// mode), snapshots it and streams a change, and the canary table survives.
@Suite struct PostgresHostileNamesIntegrationTests {
    @Test func hostileTablePublicationAndColumnNames() throws {
        let f = try CDCFixture("hostile")
        defer { f.dropSlot() }
        let q = f.sql.dialect
        let table = "we\"ird; DROP TABLE canary; -- ü"
        let column = "no\"te'; DROP TABLE canary; --"
        let publication = "pub\"; DROP TABLE canary; --"
        try f.sql.execute("CREATE TABLE canary (x int)")
        try f.sql.execute("CREATE TABLE public.\(q.quote(identifier: table)) (id int PRIMARY KEY, \(q.quote(identifier: column)) text)")
        try f.sql.execute("INSERT INTO public.\(q.quote(identifier: table)) VALUES (1, $1)", [.text("x'); DROP TABLE canary; --")])
        let task = try f.startTask(MemoryOffsets(), [
            "publication.name": publication, "publication.autocreate.mode": "filtered",
            "table.include.list": "public\\.we\"ird; DROP TABLE canary; -- ü",
        ])
        defer { task.stop() }
        let snap = try f.poll(task, until: 1)
        #expect(snap.map(\.op) == ["r"])
        #expect(snap.first?.after?[column] == .string("x'); DROP TABLE canary; --"))
        try f.sql.execute("INSERT INTO public.\(q.quote(identifier: table)) VALUES (2, 'two')")
        let streamed = try f.poll(task, until: 1)
        #expect(streamed.map(\.op) == ["c"])
        #expect(streamed.first?.after?[column] == .string("two"))
        #expect(try f.sql.queryScalar("SELECT count(*) FROM pg_publication_tables WHERE pubname = $1", [.text(publication)])?.intValue == 1)
        #expect(try f.sql.queryScalar("SELECT count(*) FROM canary")?.intValue == 0)  // still there
        try f.sql.execute("DROP PUBLICATION \(q.quote(identifier: publication))")
    }
}
