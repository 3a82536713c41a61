import Foundation
import SQL
import SluiceAPI
import Testing
import TestSupport
@testable import CDC

/// Every mapped type through a real server, both paths: snapshot (`::text` reads) and streaming (pgoutput).
@Suite struct PostgresTypesIntegrationTests {
    static let ddl = """
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE DOMAIN price AS numeric(8,3);
        CREATE TABLE all_types (
          id int PRIMARY KEY, b bool, i2 int2, i8 int8, f4 float4, f8 float8, n numeric(10,2), nv numeric, p price,
          t text, vc varchar(10), ch char(3), bt bytea, d date, tm time, tm3 time(3), ts timestamp, ts0 timestamp(0), tstz timestamptz,
          ttz timetz, iv interval, u uuid, j json, jb jsonb, x xml, m mood, ai int[], at text[], inet_ inet, r int4range)
        """
    static let insert = """
        INSERT INTO all_types VALUES (1, true, -2, 9000000000, 1.5, -2.25, 12.30, 3.14159, 1.5, 'héllo', 'v', 'ab', '\\x00ff',
          '2024-02-29', '10:15:30.123456', '10:15:30.123', '2024-01-15 10:30:00.000001', '2024-01-15 10:30:00',
          '2024-01-15 10:30:00.5+01', '01:00:00+02', '1 day 02:00:00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
          '{"a": 1}', '{"b": 2}', '<r/>', 'happy', '{1,2,NULL}', '{"x y",z}', '10.0.0.1', '[1,5)')
        """

    func check(_ after: Struct?) {
        guard let a = after else { Issue.record("no after"); return }
        #expect(a["b"] == .boolean(true) && a["i2"] == .int16(-2) && a["i8"] == .int64(9_000_000_000))
        #expect(a["f4"] == .float32(1.5) && a["f8"] == .float64(-2.25))
        #expect(a["n"] == .decimal(ConnectDecimal(unscaled: 1230, scale: 2)))
        #expect(a["nv"]?.structValue?["scale"] == .int32(5))
        #expect(a["p"] == .decimal(ConnectDecimal(unscaled: 1500, scale: 3)))
        #expect(a["t"] == .string("héllo") && a["vc"] == .string("v") && a["ch"] == .string("ab ") && a["bt"] == .bytes([0, 255]))
        #expect(a["d"] == .int32(19782))
        #expect(a["tm"] == .int64(36_930_123_456) && a["tm3"] == .int32(36_930_123))
        #expect(a["ts"] == .int64(1_705_314_600_000_001) && a["ts0"] == .int64(1_705_314_600_000))
        #expect(a["tstz"] == .string("2024-01-15T09:30:00.500000Z") && a["ttz"] == .string("23:00:00Z"))
        #expect(a["iv"] == .int64(93_600_000_000))
        #expect(a["u"] == .string("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
        #expect(a["j"] == .string("{\"a\": 1}") && a["jb"] == .string("{\"b\": 2}") && a["x"] == .string("<r/>"))
        #expect(a["m"] == .string("happy") && a.schema.field("m")?.schema.parameter("allowed") == "sad,ok,happy")
        #expect(a["ai"] == .array([.int32(1), .int32(2), .null]) && a["at"] == .array([.string("x y"), .string("z")]))
        #expect(a["inet_"] == .string("10.0.0.1") && a["r"] == .string("[1,5)"))
        #expect(a.schema.field("id")?.schema.isOptional == false && a.schema.field("t")?.schema.isOptional == true)
    }

    @Test func snapshotAndStreamAgree() throws {
        let f = try CDCFixture("types")
        defer { f.dropSlot() }
        for stmt in Self.ddl.split(separator: ";") { try f.sql.execute(String(stmt)) }
        try f.sql.execute(Self.insert)
        let task = try f.startTask(MemoryOffsets())
        defer { task.stop() }
        let snap = try f.poll(task, until: 1)
        #expect(snap.first?.op == "r")
        check(snap.first?.after)
        try f.sql.execute(Self.insert.replacingOccurrences(of: "VALUES (1,", with: "VALUES (2,"))
        let streamed = try f.poll(task, until: 1)
        #expect(streamed.first?.op == "c")
        check(streamed.first?.after)
        #expect(streamed.first?.valueSchema == snap.first?.valueSchema)
    }
}
