import Testing
@testable import ConnectCluster

/// Request/response bytes built by hand from the Kafka protocol spec (classic encoding, big-endian).
@Suite struct WireCodecTests {
    static func str(_ s: String) -> [UInt8] { [UInt8(s.utf8.count >> 8), UInt8(s.utf8.count & 0xff)] + Array(s.utf8) }
    static func i16(_ v: Int16) -> [UInt8] { let u = UInt16(bitPattern: v); return [UInt8(u >> 8), UInt8(u & 0xff)] }
    static func i32(_ v: Int32) -> [UInt8] { let u = UInt32(bitPattern: v); return [24, 16, 8, 0].map { UInt8((u >> UInt32($0)) & 0xff) } }
    static func bytes(_ b: [UInt8]) -> [UInt8] { i32(Int32(b.count)) + b }

    @Test func apiVersionsRequestFrameIsHeaderOnly() {
        let frame = KafkaRequestHeader.frame(ApiVersionsRequest(), version: 2, correlationId: 7, clientId: "sluice")
        let body: [UInt8] = Self.i16(18) + Self.i16(2) + Self.i32(7) + Self.str("sluice")
        #expect(frame == Self.i32(Int32(body.count)) + body)
    }

    @Test func apiVersionsResponseV2AndNegotiation() throws {
        let entries: [(Int16, Int16, Int16)] = [(10, 0, 2), (11, 0, 5), (12, 0, 3), (13, 0, 1), (14, 0, 3), (18, 0, 2)]
        var bytes = Self.i16(0) + Self.i32(Int32(entries.count))
        for (k, lo, hi) in entries { bytes += Self.i16(k) + Self.i16(lo) + Self.i16(hi) }
        bytes += Self.i32(0)
        let response = try ApiVersionsRequest.decodeResponse(bytes, version: 2)
        #expect(response.versions[11] == 0...5)
        let chosen = try KafkaVersionNegotiation.choose(response)
        #expect(chosen == [.findCoordinator: 2, .joinGroup: 5, .heartbeat: 3, .leaveGroup: 1, .syncGroup: 3])
        // A broker lacking LeaveGroup cannot be used.
        var missing = response
        missing.versions[13] = nil
        #expect(throws: KafkaWireError.self) { try KafkaVersionNegotiation.choose(missing) }
        // A current broker (higher maxima) gets our highest implemented versions.
        var modern = response
        modern.versions = [10: 0...6, 11: 2...9, 12: 0...4, 13: 0...5, 14: 0...5, 18: 0...4]
        #expect(try KafkaVersionNegotiation.choose(modern) == [.findCoordinator: 2, .joinGroup: 5, .heartbeat: 3, .leaveGroup: 3, .syncGroup: 3])
    }

    @Test func findCoordinatorV2() throws {
        var w = KafkaWireWriter()
        FindCoordinatorRequest(groupId: "g1").encode(version: 2, into: &w)
        #expect(w.bytes == Self.str("g1") + [0])
        let bytes = Self.i32(0) + Self.i16(0) + Self.i16(-1) + Self.i32(3) + Self.str("127.0.0.1") + Self.i32(9092)
        let r = try FindCoordinatorRequest.decodeResponse(bytes, version: 2)
        #expect(r.errorCode == .none && r.errorMessage == nil && r.nodeId == 3 && r.host == "127.0.0.1" && r.port == 9092)
        let v0 = try FindCoordinatorRequest.decodeResponse(Self.i16(15) + Self.i32(-1) + Self.str("") + Self.i32(-1), version: 0)
        #expect(v0.errorCode == .coordinatorNotAvailable)
    }

    @Test func joinGroupV5() throws {
        var w = KafkaWireWriter()
        JoinGroupRequest(
            groupId: "connect-cluster", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 60_000, memberId: "",
            protocolType: "connect", protocols: [.init(name: "sessioned", metadata: [1, 2]), .init(name: "default", metadata: [])]
        ).encode(version: 5, into: &w)
        let expected = Self.str("connect-cluster") + Self.i32(10_000) + Self.i32(60_000) + Self.str("") + Self.i16(-1)
            + Self.str("connect") + Self.i32(2) + Self.str("sessioned") + Self.bytes([1, 2]) + Self.str("default") + Self.bytes([])
        #expect(w.bytes == expected)

        let response = Self.i32(0) + Self.i16(0) + Self.i32(4) + Self.str("sessioned") + Self.str("m-1") + Self.str("m-1")
            + Self.i32(2) + Self.str("m-1") + Self.i16(-1) + Self.bytes([9]) + Self.str("m-2") + Self.str("static") + Self.bytes([])
        let r = try JoinGroupRequest.decodeResponse(response, version: 5)
        #expect(r.generationId == 4 && r.protocolName == "sessioned" && r.leader == "m-1" && r.memberId == "m-1")
        #expect(r.members == [.init(memberId: "m-1", metadata: [9]), .init(memberId: "m-2", groupInstanceId: "static", metadata: [])])
        // The v1 layout has neither throttle time nor group instance ids.
        let v1 = Self.i16(79) + Self.i32(-1) + Self.str("") + Self.str("") + Self.str("m-9") + Self.i32(0)
        #expect(try JoinGroupRequest.decodeResponse(v1, version: 1).errorCode == .memberIdRequired)
    }

    @Test func syncHeartbeatLeave() throws {
        var w = KafkaWireWriter()
        SyncGroupRequest(groupId: "g", generationId: 3, memberId: "m", assignments: [.init(memberId: "m", assignment: [7])])
            .encode(version: 3, into: &w)
        #expect(w.bytes == Self.str("g") + Self.i32(3) + Self.str("m") + Self.i16(-1) + Self.i32(1) + Self.str("m") + Self.bytes([7]))
        #expect(try SyncGroupRequest.decodeResponse(Self.i32(0) + Self.i16(0) + Self.bytes([1, 2, 3]), version: 3).assignment == [1, 2, 3])

        w = KafkaWireWriter()
        HeartbeatRequest(groupId: "g", generationId: 3, memberId: "m").encode(version: 3, into: &w)
        #expect(w.bytes == Self.str("g") + Self.i32(3) + Self.str("m") + Self.i16(-1))
        #expect(try HeartbeatRequest.decodeResponse(Self.i32(0) + Self.i16(27), version: 3).errorCode == .rebalanceInProgress)
        #expect(try HeartbeatRequest.decodeResponse(Self.i16(25), version: 0).errorCode == .unknownMemberId)

        w = KafkaWireWriter()
        LeaveGroupRequest(groupId: "g", memberId: "m").encode(version: 1, into: &w)
        #expect(w.bytes == Self.str("g") + Self.str("m"))
        w = KafkaWireWriter()
        LeaveGroupRequest(groupId: "g", memberId: "m").encode(version: 3, into: &w)
        #expect(w.bytes == Self.str("g") + Self.i32(1) + Self.str("m") + Self.i16(-1))
        let v3 = try LeaveGroupRequest.decodeResponse(Self.i32(0) + Self.i16(0) + Self.i32(1) + Self.str("m") + Self.i16(-1) + Self.i16(0), version: 3)
        #expect(v3.members.count == 1 && v3.members[0].memberId == "m")
        #expect(try LeaveGroupRequest.decodeResponse(Self.i32(0) + Self.i16(0), version: 1).errorCode == .none)
    }

    @Test func truncatedAndTrailingBytesThrow() {
        let good = Self.i32(0) + Self.i16(0) + Self.bytes([1, 2, 3])
        for cut in 0..<good.count {
            #expect(throws: KafkaWireError.self) { try SyncGroupRequest.decodeResponse(Array(good.prefix(cut)), version: 3) }
        }
        #expect(throws: KafkaWireError.trailingBytes(context: "SyncGroup v3 response", count: 1)) {
            try SyncGroupRequest.decodeResponse(good + [0], version: 3)
        }
        // A huge array count must be refused before allocating.
        #expect(throws: KafkaWireError.self) {
            try JoinGroupRequest.decodeResponse(Self.i32(0) + Self.i16(0) + Self.i32(1) + Self.str("p") + Self.str("l") + Self.str("m") + Self.i32(Int32.max), version: 5)
        }
    }

    /// Random bytes into every decoder: each must throw or decode, never trap.
    @Test func garbageNeverTraps() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<3_000 {
            let length = Int(rng.next() % 64)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            for version: Int16 in 0...5 {
                _ = try? ApiVersionsRequest.decodeResponse(bytes, version: min(version, 2))
                _ = try? FindCoordinatorRequest.decodeResponse(bytes, version: min(version, 2))
                _ = try? JoinGroupRequest.decodeResponse(bytes, version: max(version, 1))
                _ = try? SyncGroupRequest.decodeResponse(bytes, version: min(version, 3))
                _ = try? HeartbeatRequest.decodeResponse(bytes, version: min(version, 3))
                _ = try? LeaveGroupRequest.decodeResponse(bytes, version: min(version, 3))
                _ = try? MetadataRequest.decodeResponse(bytes, version: max(version, 1))
                _ = try? ListOffsetsRequest.decodeResponse(bytes, version: min(max(version, 1), 3))
            }
        }
        #expect(Bool(true), "no decoder trapped on 3,000 random inputs")
    }

    @Test func metadataAndListOffsets() throws {
        var w = KafkaWireWriter()
        MetadataRequest(topics: ["t"]).encode(version: 4, into: &w)
        #expect(w.bytes == Self.i32(1) + Self.str("t") + [0])
        w = KafkaWireWriter()
        MetadataRequest(topics: nil).encode(version: 1, into: &w)
        #expect(w.bytes == Self.i32(-1))
        let partition = Self.i16(0) + Self.i32(0) + Self.i32(1) + Self.i32(1) + Self.i32(1) + Self.i32(1) + Self.i32(1)
        let v5 = Self.i32(0) + Self.i32(1) + Self.i32(1) + Self.str("h") + Self.i32(9092) + Self.i16(-1) + Self.i16(-1) + Self.i32(1)
            + Self.i32(1) + Self.i16(0) + Self.str("t") + [0] + Self.i32(1) + partition + Self.i32(0)
        let m = try MetadataRequest.decodeResponse(v5, version: 5)
        #expect(m.brokers == [.init(nodeId: 1, host: "h", port: 9092)])
        #expect(m.topics == [.init(errorCode: .none, name: "t", partitions: [.init(errorCode: .none, partition: 0, leader: 1)])])

        w = KafkaWireWriter()
        ListOffsetsRequest(topic: "t", partitions: [0, 1], timestamp: ListOffsetsRequest.latest).encode(version: 2, into: &w)
        let ts: [UInt8] = Array(repeating: 0xff, count: 8)
        #expect(w.bytes == Self.i32(-1) + [0] + Self.i32(1) + Self.str("t") + Self.i32(2) + Self.i32(0) + ts + Self.i32(1) + ts)
        let r = try ListOffsetsRequest.decodeResponse(
            Self.i32(0) + Self.i32(1) + Self.str("t") + Self.i32(1) + Self.i32(0) + Self.i16(0) + ts + [0, 0, 0, 0, 0, 0, 0, 42], version: 2)
        #expect(r.topics["t"] == [.init(partition: 0, errorCode: .none, offset: 42)])
    }

    @Test func bootstrapAddresses() {
        #expect(KafkaBootstrapAddress.parse("127.0.0.1:1234, PLAINTEXT://b:9093,[::1]:5,c") == [
            .init(host: "127.0.0.1", port: 1234), .init(host: "b", port: 9093), .init(host: "::1", port: 5), .init(host: "c", port: 9092),
        ])
    }
}

/// Deterministic pseudo-random numbers for fuzz-style tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
