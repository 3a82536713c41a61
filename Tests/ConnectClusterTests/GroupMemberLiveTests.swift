import Dispatch
import Kafka
import Testing
@testable import ConnectCluster

#if canImport(Glibc)
import Glibc
#endif

/// Group membership against librdkafka's mock cluster (real Kafka protocol over TCP).
@Suite struct GroupMemberLiveTests {
    static func member(_ kafka: EmbeddedKafka, _ group: String, session: Int32 = 3_000) -> KafkaGroupMember {
        KafkaGroupMember(configuration: .init(
            bootstrapServers: kafka.bootstrapServers, groupId: group, clientId: "test", sessionTimeoutMs: session,
            rebalanceTimeoutMs: 10_000, requestTimeoutMs: 15_000, leaderSyncDelayMs: 500))
    }

    static func protocols(_ tag: UInt8) -> [JoinGroupRequest.GroupProtocol] { [.init(name: "default", metadata: [tag, tag])] }

    /// Two members join concurrently; returns (leader, follower) after a completed, stable SyncGroup in which each
    /// received the assignment the leader made for it.
    static func formGroup(_ a: KafkaGroupMember, _ b: KafkaGroupMember) throws -> (KafkaGroupMember, KafkaGroupMember, KafkaGroupMember.JoinResult) {
        let assign: @Sendable (KafkaGroupMember.JoinResult) throws -> [String: [UInt8]] = { join in
            Dictionary(uniqueKeysWithValues: join.members.map { ($0.memberId, Array("to-\($0.memberId)".utf8)) })
        }
        let ja = Background { try GroupConvergence.converge(a, protocols: protocols(1), assign: assign) }
        let jb = Background { try GroupConvergence.converge(b, protocols: protocols(2), assign: assign) }
        let (ra, rb) = (try ja.value(timeoutSeconds: 90), try jb.value(timeoutSeconds: 90))
        #expect(ra.join.generationId == rb.join.generationId)
        #expect(ra.join.leaderId == rb.join.leaderId)
        #expect(ra.join.isLeader != rb.join.isLeader, "exactly one leader")
        #expect(ra.assignment == Array("to-\(a.memberId)".utf8))
        #expect(rb.assignment == Array("to-\(b.memberId)".utf8))
        return ra.join.isLeader ? (a, b, ra.join) : (b, a, rb.join)
    }

    @Test func twoMembersElectLeaderAndExchangeAssignments() throws {
        let kafka = try EmbeddedKafka.start()
        let a = Self.member(kafka, "connect-live-1"), b = Self.member(kafka, "connect-live-1")
        defer { a.close(); b.close() }
        let (_, _, join) = try Self.formGroup(a, b)
        #expect(join.protocolName == "default")
        #expect(Set(join.members.map(\.metadata)) == [[1, 1], [2, 2]])
        #expect(Set(join.members.map(\.memberId)) == [a.memberId, b.memberId])
        #expect(a.negotiatedVersions[.joinGroup] == 5 && a.negotiatedVersions[.leaveGroup] == 1)
        // Heartbeats every 500 ms for twice the session timeout keep both members in the group.
        for _ in 0..<12 {
            #expect(try a.heartbeat() == .none)
            #expect(try b.heartbeat() == .none)
            usleep(500_000)
        }
    }

    @Test func silentMemberIsExpelledAfterSessionTimeout() throws {
        let kafka = try EmbeddedKafka.start()
        let a = Self.member(kafka, "connect-live-2"), b = Self.member(kafka, "connect-live-2")
        defer { a.close(); b.close() }
        _ = try Self.formGroup(a, b)
        b.close()  // stops heartbeating without leaving, like kill -9
        let start = ContinuousClock.now
        var code = KafkaProtocolErrorCode.none
        while code == .none && ContinuousClock.now - start < .seconds(15) {
            usleep(300_000)
            code = try a.heartbeat()
        }
        #expect(code == .rebalanceInProgress)
        #expect(ContinuousClock.now - start >= .seconds(2), "expelled only after the session timeout")
        let rejoin = try a.join(protocols: Self.protocols(1))
        #expect(rejoin.isLeader && rejoin.members.map(\.memberId) == [a.memberId])
    }

    @Test func leaveGroupTriggersRebalanceAtOnce() throws {
        let kafka = try EmbeddedKafka.start()
        // The mock coordinator waits session.timeout.ms - 1 s for the remaining members to rejoin after a leave.
        let a = Self.member(kafka, "connect-live-3", session: 6_000), b = Self.member(kafka, "connect-live-3", session: 6_000)
        defer { a.close(); b.close() }
        let (_, _, first) = try Self.formGroup(a, b)
        b.leave()
        #expect(b.memberId == "")
        let start = ContinuousClock.now
        var code = KafkaProtocolErrorCode.none
        while code == .none && ContinuousClock.now - start < .seconds(10) {
            usleep(200_000)
            code = try a.heartbeat()
        }
        #expect(code == .rebalanceInProgress)
        #expect(ContinuousClock.now - start < .seconds(2), "at once, not after the 6 s session timeout")
        let rejoin = try a.join(protocols: Self.protocols(1))
        #expect(rejoin.generationId > first.generationId)
        #expect(rejoin.isLeader && rejoin.members.count == 1)
    }
}
