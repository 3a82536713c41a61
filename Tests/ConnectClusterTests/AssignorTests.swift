import Testing
@testable import ConnectCluster

/// Table tests for incremental cooperative assignment, each simulating the rounds a real group would go through:
/// every member applies its assignment (adds `assigned`, stops `revoked`) and reports the result in the next round.
@Suite struct AssignorTests {
    static func tasks(_ connector: String, _ n: Int32) -> ConnectorsAndTasks {
        ConnectorsAndTasks(connectors: [connector], tasks: Set((0..<n).map { ConnectTaskId(connector: connector, task: $0) }))
    }

    /// A simulated group: members' running work and the leader's state.
    struct Group {
        var running: [String: ConnectorsAndTasks]
        var state = IncrementalCooperativeAssignor.State()
        let assignor: IncrementalCooperativeAssignor
        var revokedTotal = 0
        var stoppedAndRestartedElsewhere = 0

        init(_ members: [String], maxDelayMs: Int32 = 0) {
            running = Dictionary(uniqueKeysWithValues: members.map { ($0, ConnectorsAndTasks.empty) })
            assignor = IncrementalCooperativeAssignor(maxDelayMs: maxDelayMs)
        }

        @discardableResult
        mutating func round(_ configured: ConnectorsAndTasks, now: Int64 = 0) -> IncrementalCooperativeAssignor.Output {
            let members = running.keys.sorted().map { IncrementalCooperativeAssignor.Member(id: $0, url: "http://\($0)/", configOffset: 3, current: running[$0]!) }
            let out = assignor.assign(.init(
                members: members, configured: configured, leaderId: members.first!.id, leaderUrl: members.first!.url,
                leaderConfigOffset: 3, nowMs: now, state: state))
            state = out.state
            for (id, a) in out.assignments {
                // A worker never gets work that another worker still runs.
                for (other, work) in running where other != id {
                    #expect(work.subtracting(out.assignments[other]!.revoked).intersection(a.assigned).isEmpty, "\(a.assigned) given to \(id) while \(other) runs it")
                }
                revokedTotal += a.revoked.count
                running[id] = running[id]!.subtracting(a.revoked).union(a.assigned)
                #expect(running[id] == out.full[id])
            }
            return out
        }

        /// Rounds until nothing is assigned or revoked any more.
        mutating func settle(_ configured: ConnectorsAndTasks, now: Int64 = 0) {
            for _ in 0..<5 {
                let out = round(configured, now: now)
                if out.assignments.values.allSatisfy({ $0.assigned.isEmpty && $0.revoked.isEmpty }) { return }
            }
            Issue.record("assignment did not settle")
        }

        func taskCounts() -> [Int] { running.keys.sorted().map { running[$0]!.tasks.count } }
        var everything: ConnectorsAndTasks { running.values.reduce(ConnectorsAndTasks.empty) { $0.union($1) } }
    }

    @Test func threeWorkersSixTasksSpreadTwoTwoTwo() {
        var g = Group(["w1", "w2", "w3"])
        let work = Self.tasks("c", 6)
        let first = g.round(work)
        #expect(g.taskCounts() == [2, 2, 2])
        #expect(g.everything == work)
        #expect(first.assignments.values.filter { !$0.assigned.connectors.isEmpty }.count == 1)
        // Tasks of the one connector land two per worker, and a second round changes nothing.
        let second = g.round(work)
        #expect(second.assignments.values.allSatisfy { $0.assigned.isEmpty && $0.revoked.isEmpty && $0.delayMs == 0 })
        #expect(g.revokedTotal == 0)
    }

    @Test func fourthWorkerJoiningThirtyTasksMovesOnlyItsShare() {
        var g = Group(["w1", "w2", "w3"])
        let work = Self.tasks("a", 10).union(Self.tasks("b", 10)).union(Self.tasks("c", 10))
        g.settle(work)
        #expect(g.taskCounts() == [10, 10, 10])
        let before = g.running
        g.running["w4"] = .empty
        g.settle(work)
        #expect(g.taskCounts().sorted() == [7, 7, 8, 8])
        #expect(g.everything == work)
        // Minimal movement: exactly the 7 tasks w4 runs were revoked; nothing else stopped.
        #expect(g.revokedTotal == 7)
        #expect(g.running["w4"]!.tasks.count == 7)
        for w in ["w1", "w2", "w3"] {
            #expect(g.running[w]!.subtracting(before[w]!).isEmpty, "\(w) gained nothing")
        }
        // w4 got tasks of every connector, not 7 of one.
        #expect(Set(g.running["w4"]!.tasks.map(\.connector)).count == 3)
    }

    @Test func departedWorkerWaitsForTheDelayThenIsReassigned() {
        var g = Group(["w1", "w2", "w3"], maxDelayMs: 10_000)
        let work = Self.tasks("c", 6)
        g.settle(work, now: 0)
        let lostWork = g.running["w3"]!
        g.running["w3"] = nil

        let t1 = g.round(work, now: 1_000)
        #expect(t1.assignments.values.allSatisfy { $0.assigned.isEmpty && $0.revoked.isEmpty && $0.delayMs == 10_000 })
        #expect(g.everything.intersection(lostWork).isEmpty, "held back")

        let t2 = g.round(work, now: 6_000)
        #expect(t2.assignments.values.allSatisfy { $0.assigned.isEmpty && $0.delayMs == 5_000 })

        let t3 = g.round(work, now: 11_000)
        #expect(t3.assignments.values.allSatisfy { $0.delayMs == 0 })
        #expect(g.everything == work)
        #expect(g.taskCounts() == [3, 3])
        #expect(g.revokedTotal == 0)
    }

    @Test func departedWorkerReturningWithinTheDelayKeepsItsWork() {
        var g = Group(["w1", "w2", "w3"], maxDelayMs: 10_000)
        let work = Self.tasks("c", 6)
        g.settle(work)
        let w3work = g.running["w3"]!
        g.running["w3"] = nil
        g.round(work, now: 1_000)
        // Restarted under a new member id, reporting no allocation (a fresh process): the held-back work goes to it
        // at once, and nothing else moves.
        g.running["w3-restarted"] = .empty
        let out = g.round(work, now: 3_000)
        #expect(out.state.scheduledRebalanceAtMs == nil)
        #expect(out.assignments["w3-restarted"]!.assigned == w3work)
        #expect(out.assignments.values.allSatisfy { $0.delayMs == 0 && $0.revoked.isEmpty })
        g.settle(work, now: 3_000)
        #expect(g.everything == work)
        #expect(g.taskCounts() == [2, 2, 2])
    }

    @Test func zeroDelayReassignsAtOnce() {
        var g = Group(["w1", "w2", "w3"], maxDelayMs: 0)
        let work = Self.tasks("c", 6)
        g.settle(work)
        g.running["w2"] = nil
        let out = g.round(work, now: 5)
        #expect(out.assignments.values.allSatisfy { $0.delayMs == 0 })
        #expect(g.everything == work)
        #expect(g.taskCounts() == [3, 3])
    }

    @Test func deletedAndDuplicatedWorkIsRevoked() {
        var g = Group(["w1", "w2"])
        g.running["w1"] = Self.tasks("gone", 2).union(ConnectorsAndTasks(tasks: [.init(connector: "c", task: 0)]))
        g.running["w2"] = ConnectorsAndTasks(tasks: [.init(connector: "c", task: 0)])
        let out = g.round(Self.tasks("c", 2))
        #expect(out.assignments["w1"]!.revoked == Self.tasks("gone", 2))
        #expect(out.assignments["w2"]!.revoked == ConnectorsAndTasks(tasks: [.init(connector: "c", task: 0)]))
        g.settle(Self.tasks("c", 2))
        #expect(g.everything == Self.tasks("c", 2))
    }

    @Test func configMismatchFailsTheRound() {
        let assignor = IncrementalCooperativeAssignor()
        let out = assignor.assign(.init(
            members: [.init(id: "a", url: "u", configOffset: 9), .init(id: "b", url: "v", configOffset: 4)],
            configured: Self.tasks("c", 1), leaderId: "b", leaderUrl: "v", leaderConfigOffset: 4, nowMs: 0, state: .init()))
        #expect(out.assignments.values.allSatisfy { $0.failed && $0.error == ConnectAssignment.configMismatch })
    }

    @Test func encodedAssignmentsRoundTrip() throws {
        var g = Group(["w1", "w2"])
        let out = g.round(Self.tasks("c", 3))
        for a in out.assignments.values { #expect(try ConnectAssignment.decode(a.encode()) == a) }
    }
}
