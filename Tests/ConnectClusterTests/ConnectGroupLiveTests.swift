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
                rebalanceTimeoutMs: 10_000, requestTimeoutMs: 15_000, leaderSyncDelayMs: 500))
        }
        defer { for w in workers { w.close() } }
        let configured = ConnectorsAndTasks(connectors: ["c"], tasks: Set((0..<6).map { ConnectTaskId(connector: "c", task: $0) }))
        let leaderUrls = Locked<[String]>([])
        let runs = workers.enumerated().map { i, w in
            Background {
                try GroupConvergence.converge(w, protocols: ConnectGroupProtocols.offer(url: "http://w\(i + 1):8083/", configOffset: 4, running: .empty)) { join in
                    // The leader: decode every member's metadata, assign, encode.
                    #expect(join.protocolName == "sessioned")
                    let members = try join.members.map { m in
                        IncrementalCooperativeAssignor.Member(id: m.memberId, metadata: try ConnectMemberMetadata.decode(m.metadata))
                    }
                    #expect(Set(members.map(\.url)) == ["http://w1:8083/", "http://w2:8083/", "http://w3:8083/"])
                    let url = "http://w\(i + 1):8083/"
                    leaderUrls.withLock { $0.append(url) }
                    let output = IncrementalCooperativeAssignor(maxDelayMs: 0).assign(.init(
                        members: members, configured: configured, leaderId: join.memberId, leaderUrl: url,
                        leaderConfigOffset: 4, nowMs: 0, state: .init(), version: .sessioned))
                    return output.assignments.mapValues { $0.encode() }
                }
            }
        }
        let assignments = try runs.map { try ConnectAssignment.decode(try $0.value(timeoutSeconds: 90).assignment) }
        let leaderUrl = try #require(leaderUrls.withLock { $0.last })
        #expect(assignments.map(\.assigned.tasks.count) == [2, 2, 2])
        #expect(assignments.allSatisfy { $0.leaderUrl == leaderUrl && $0.configOffset == 4 && $0.revoked.isEmpty })
        #expect(assignments.reduce(ConnectorsAndTasks.empty) { $0.union($1.assigned) } == configured)
    }
}
