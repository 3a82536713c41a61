import Foundation
import SQL
import TestSupport
import Testing

/// The helpers every database test of the project relies on.
@Suite struct TestSupportTests {
    @Test func runProcessReportsStatusAndOutput() throws {
        let ok = try TestSupport.runProcess("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(ok.status == 3)
        #expect(ok.output.contains("out") && ok.output.contains("err"))
        // A command leaving a background child holding its output does not make runProcess wait for that child.
        let start = Date()
        let bg = try TestSupport.shell("(sleep 5 &) ; echo started")
        #expect(bg.succeeded && bg.output.contains("started"))
        #expect(Date().timeIntervalSince(start) < 4)
        let cwd = try TestSupport.runProcess("/bin/pwd", [], currentDirectory: "/tmp")
        #expect(cwd.output.trimmingCharacters(in: .whitespacesAndNewlines) == "/tmp")
    }

    @Test func freePortsAndTemporaryDirectories() throws {
        let port = TestSupport.freePort()
        #expect((1024..<65536).contains(port))
        var path = ""
        do {
            let dir = try TemporaryDirectory()
            path = dir.path
            try "x".write(toFile: dir.file("f.txt"), atomically: true, encoding: .utf8)
            #expect(FileManager.default.fileExists(atPath: dir.file("f.txt")))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func eachTestGetsItsOwnDatabase() throws {
        let server = try PostgresServer.shared()
        #expect(try PostgresServer.shared() === server)
        let a = try server.createDatabase(prefix: "Same Prefix!")
        let b = try server.createDatabase(prefix: "Same Prefix!")
        #expect(a.dbname != b.dbname)
        #expect(a.dbname.hasPrefix("same_prefix_"))
        #expect(a.url == "jdbc:postgresql://127.0.0.1:\(server.port)/\(a.dbname)?user=postgres")
        let conn = try a.connect()
        defer { conn.close() }
        #expect(try conn.queryScalar("SELECT current_database()") == .text(a.dbname))
        #expect(try conn.queryScalar("SHOW wal_level") == .text("logical"))
        let my = try MariaDBServer.shared().createDatabase(prefix: "same")
        let myConn = try my.connect()
        defer { myConn.close() }
        #expect(try myConn.queryScalar("SELECT DATABASE()") == .text(my.dbname))
        #expect(try myConn.queryScalar("SELECT @@binlog_format") == .text("ROW"))
    }
}
