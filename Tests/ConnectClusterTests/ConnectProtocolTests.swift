import Testing
@testable import ConnectCluster

/// Byte layouts of Kafka Connect's ConnectProtocol (v0) and IncrementalCooperativeConnectProtocol (v1/v2).
@Suite struct ConnectProtocolTests {
    typealias B = WireCodecTests
    static func i64(_ v: Int64) -> [UInt8] { (0..<8).reversed().map { UInt8((UInt64(bitPattern: v) >> UInt64($0 * 8)) & 0xff) } }

    @Test func metadataV0Layout() throws {
        let m = ConnectMemberMetadata(version: .eager, url: "http://w1:8083/", configOffset: 42)
        let expected = B.i16(0) + B.str("http://w1:8083/") + Self.i64(42)
        #expect(m.encode() == expected)
        #expect(try ConnectMemberMetadata.decode(expected) == m)
    }

    @Test func metadataV1WithAndWithoutAllocation() throws {
        let empty = ConnectMemberMetadata(version: .compatible, url: "http://w:1/", configOffset: -1)
        let expected = B.i16(1) + B.str("http://w:1/") + Self.i64(-1) + B.i32(-1)
        #expect(empty.encode() == expected)
        #expect(try ConnectMemberMetadata.decode(expected) == empty)
        // Older encoders may omit the allocation field entirely.
        #expect(try ConnectMemberMetadata.decode(B.i16(1) + B.str("u") + Self.i64(3)).allocation == nil)

        let allocation = ConnectAssignment(
            version: .sessioned, leader: "l", leaderUrl: "http://l/", configOffset: 5,
            assigned: ConnectorsAndTasks(connectors: ["c"], tasks: [.init(connector: "c", task: 0)]))
        let m = ConnectMemberMetadata(version: .sessioned, url: "http://w:1/", configOffset: 5, allocation: allocation)
        let bytes = m.encode()
        #expect(bytes == B.i16(2) + B.str("http://w:1/") + Self.i64(5) + B.bytes(allocation.encode()))
        #expect(try ConnectMemberMetadata.decode(bytes) == m)
    }

    @Test func assignmentV1Layout() throws {
        let a = ConnectAssignment(
            version: .compatible, leader: "leader-1", leaderUrl: "http://l:8083/", configOffset: 7,
            assigned: ConnectorsAndTasks(connectors: ["b"], tasks: [.init(connector: "a", task: 1), .init(connector: "a", task: 0), .init(connector: "b", task: 2)]),
            revoked: ConnectorsAndTasks(tasks: [.init(connector: "z", task: 3)]), delayMs: 1500)
        let expected = B.i16(1) + B.i16(0) + B.str("leader-1") + B.str("http://l:8083/") + Self.i64(7)
            + B.i32(2) + B.str("a") + B.i32(2) + B.i32(0) + B.i32(1) + B.str("b") + B.i32(2) + B.i32(-1) + B.i32(2)
            + B.i32(1) + B.str("z") + B.i32(1) + B.i32(3)
            + B.i32(1500)
        #expect(a.encode() == expected)
        #expect(try ConnectAssignment.decode(expected) == a)
    }

    @Test func assignmentV0AndToleratedShortForms() throws {
        let v0 = ConnectAssignment(version: .eager, error: ConnectAssignment.configMismatch, leader: "l", leaderUrl: "u", configOffset: 9,
                                   assigned: ConnectorsAndTasks(connectors: ["c"]))
        let bytes = B.i16(0) + B.i16(1) + B.str("l") + B.str("u") + Self.i64(9) + B.i32(1) + B.str("c") + B.i32(1) + B.i32(-1)
        #expect(v0.encode() == bytes)
        let decoded = try ConnectAssignment.decode(bytes)
        #expect(decoded == v0 && decoded.failed)
        // v1 with null arrays and without the trailing delay field.
        let short = try ConnectAssignment.decode(B.i16(1) + B.i16(0) + B.str("l") + B.str("u") + Self.i64(0) + B.i32(-1) + B.i32(-1))
        #expect(short.assigned.isEmpty && short.revoked.isEmpty && short.delayMs == 0)
    }

    @Test func garbageThrowsNeverTraps() {
        let good = ConnectAssignment(version: .sessioned, leader: "l", leaderUrl: "u", configOffset: 1,
                                     assigned: ConnectorsAndTasks(tasks: [.init(connector: "c", task: 0)])).encode()
        for cut in 0..<good.count where cut != 0 {
            // Every prefix either decodes (v1 fields are optional at field boundaries) or throws.
            _ = try? ConnectAssignment.decode(Array(good.prefix(cut)))
        }
        #expect(throws: KafkaWireError.self) { try ConnectAssignment.decode(Array(good.prefix(5))) }
        #expect(throws: KafkaWireError.self) { try ConnectAssignment.decode(good + [1]) }
        #expect(throws: KafkaWireError.self) { try ConnectMemberMetadata.decode(B.i16(-3) + B.str("u") + Self.i64(0)) }
        var rng = SplitMix64(seed: 7)
        for _ in 0..<5_000 {
            let bytes = (0..<Int(rng.next() % 48)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = try? ConnectAssignment.decode(bytes)
            _ = try? ConnectMemberMetadata.decode(bytes)
        }
    }

    @Test func protocolNames() {
        #expect(ConnectProtocolVersion.allCases.map(\.protocolName) == ["default", "compatible", "sessioned"])
        #expect(ConnectProtocolVersion(protocolName: "sessioned") == .sessioned)
        #expect(ConnectProtocolVersion(protocolName: "range") == nil)
    }
}
