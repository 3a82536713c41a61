import Foundation
import SQL
import SluiceAPI
import Testing
import TestSupport
@testable import CDC

/// `PostgresConnector.validate` against a real server: what used to fail only at task start is reported on the key
/// to fix, with the fix in the message.
@Suite struct PostgresValidationIntegrationTests {
    func errors(_ results: [ConfigValueInfo], _ key: String) -> [String] { results.first { $0.name == key }?.errors ?? [] }

    @Test func validConfigHasNoErrors() throws {
        let f = try CDCFixture("valid")
        defer { f.sql.close() }
        let results = PostgresConnector().validate(f.props())
        #expect(results.allSatisfy { $0.errors.isEmpty }, "\(results.filter { !$0.errors.isEmpty }.map { "\($0.name): \($0.errors)" })")
    }

    @Test func userWithoutReplicationIsAConfigErrorNamingTheGrant() throws {
        let f = try CDCFixture("norepl")
        defer { f.sql.close() }
        let role = "norepl_" + f.db.dbname
        try f.sql.execute("CREATE ROLE \(f.sql.dialect.quote(identifier: role)) LOGIN")
        defer { _ = try? f.sql.execute("DROP ROLE \(f.sql.dialect.quote(identifier: role))") }
        let props = f.props(["database.user": role])
        let problems = errors(PostgresConnector().validate(props), "database.user")
        #expect(problems.count == 1)
        #expect(problems.first?.contains("lacks the REPLICATION privilege") == true)
        #expect(problems.first?.contains("ALTER ROLE \"\(role)\" WITH REPLICATION") == true)
        // The task refuses to start with the same message (before creating a slot).
        let task = PostgresSourceTask()
        task.initialize(context: TestTaskContext(configs: props, offsetStorageReader: MemoryOffsets()))
        #expect(throws: ConnectError.self) { try task.start(props) }
        task.stop()
        #expect(try f.confirmedFlush() == nil)
    }

    @Test func missingSignalTableAndUnreachableServerAreReported() throws {
        let f = try CDCFixture("valsig")
        defer { f.sql.close() }
        let missing = errors(PostgresConnector().validate(f.props(["signal.data.collection": "public.nope"])), "signal.data.collection")
        #expect(missing.first?.contains("CREATE TABLE public.nope") == true)
        let down = errors(PostgresConnector().validate(f.props(["database.port": String(TestSupport.freePort())])), "database.hostname")
        #expect(down.first?.contains("Unable to connect to PostgreSQL") == true)
    }

    @Test func walLevelOtherThanLogicalNamesTheSetting() {
        #expect(ReplicationSetup.walLevelProblem(level: "logical") == nil)
        let problem = ReplicationSetup.walLevelProblem(level: "replica") ?? ""
        #expect(problem.contains("wal_level is 'replica'") && problem.contains("ALTER SYSTEM SET wal_level = logical"))
    }
}
