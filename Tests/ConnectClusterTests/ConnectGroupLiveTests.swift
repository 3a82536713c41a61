import Kafka
import Testing
@testable import ConnectCluster

/// The whole membership flow a distributed herder runs, against the embedded cluster: three workers join with
/// Connect metadata, the leader decodes it, runs the assignor and syncs encoded assignments, each worker decodes its own.
@Suite struct ConnectGroupLiveTests {
    @Test func threeWorkersGetTwoTasksEach() throws {
        let kafka = try EmbeddedKafka.start()
        let workers = (1...3).map { i in
            KafkaGroupMember(configuration: .init(
                bootstrapServers: kafka.bootstrapServers, groupId: "connect-flow", clientId: "w\(i)", sessionTimeoutMs: 6_000,
                rebalanceTimeoutMs: 10_000, requestTimeoutMs: 15_000, leaderSyncDelayMs: 300))
        }
        defer { for w in workers { w.close() } }
        let configured = ConnectorsAndTasks(connectors: ["c"], tasks: Set((0..<6).map { ConnectTaskId(connector: "c", task: $0) }))
        let joins = workers.enumerated().map { i, w in
            Background { try w.join(protocols: ConnectGroupProtocols.offer(url: "http://w\(i + 1):8083/", configOffset: 4, running: .empty)) }
        }
        let results = try joins.map { try $0.value() }
        let leaderIndex = try #require(results.firstIndex { $0.isLeader })
        let leaderJoin = results[leaderIndex]
        #expect(leaderJoin.protocolName == "sessioned")
        let members = try leaderJoin.members.map { m in
            IncrementalCooperativeAssignor.Member(id: m.memberId, metadata: try ConnectMemberMetadata.decode(m.metadata))
        }
        #expect(Set(members.map(\.url)) == ["http://w1:8083/", "http://w2:8083/", "http://w3:8083/"])
        let leaderUrl = "http://w\(leaderIndex + 1):8083/"
        let output = IncrementalCooperativeAssignor(maxDelayMs: 0).assign(.init(
            members: members, configured: configured, leaderId: leaderJoin.memberId, leaderUrl: leaderUrl,
            leaderConfigOffset: 4, nowMs: 0, state: .init(), version: .sessioned))

        let syncs = workers.enumerated().map { i, w in
            Background { try w.sync(assignments: i == leaderIndex ? output.assignments.mapValues { $0.encode() } : [:]) }
        }
        let assignments = try syncs.map { try ConnectAssignment.decode(try $0.value()) }
        #expect(assignments.map(\.assigned.tasks.count) == [2, 2, 2])
        #expect(assignments.allSatisfy { $0.leaderUrl == leaderUrl && $0.configOffset == 4 && $0.revoked.isEmpty })
        #expect(assignments.reduce(ConnectorsAndTasks.empty) { $0.union($1.assigned) } == configured)
    }
}
