/// The leader's assignment algorithm: incremental cooperative rebalancing (KIP-415), as a pure function.
///
/// Each round takes every member's current allocation (from its JoinGroup metadata), the work that should run, and
/// the leader's bookkeeping from the previous round, and returns per-member `ConnectAssignment`s:
/// - work nobody runs goes to the least-loaded members (connectors and tasks balanced separately; a connector's
///   tasks spread over workers);
/// - only work that must move is revoked: deleted connectors/tasks, duplicates, and the surplus of workers above
///   their fair share (which is assigned to others in the NEXT round, after the revoking workers stopped it and
///   rejoined — so a task never runs on two workers at once);
/// - work of a worker that left is held back for `maxDelayMs` (`scheduled.rebalance.max.delay.ms`) so a worker
///   that restarts quickly gets its own work back instead of causing two moves; everyone is told to rejoin after
///   the remaining delay, and when it has passed, the lost work is reassigned. A member that joins empty during the
///   delay (typically the departed worker, restarted) takes the lost work at once, without waiting the delay out.
///
/// The caller (the herder on the leader) must: pass `state` from the previous round's output; stop revoked work
/// and rejoin immediately when an assignment revokes something; rejoin after `delayMs` when it is > 0.
public struct IncrementalCooperativeAssignor: Sendable {
    /// Sluice's default `scheduled.rebalance.max.delay.ms`: 10 s rather than Kafka's 5 minutes, because users
    /// complain about tasks UNASSIGNED for minutes after a crash, while a worker restarted by a supervisor
    /// is usually back within seconds.
    public static let defaultMaxDelayMs: Int32 = 10_000

    public var maxDelayMs: Int32

    public init(maxDelayMs: Int32 = IncrementalCooperativeAssignor.defaultMaxDelayMs) {
        self.maxDelayMs = maxDelayMs
    }

    /// A group member as the leader sees it after JoinGroup.
    public struct Member: Hashable, Sendable {
        public var id: String
        public var url: String
        public var configOffset: Int64
        /// What it runs now (its metadata's allocation, accumulated: previous assignments minus revocations).
        public var current: ConnectorsAndTasks

        public init(id: String, url: String, configOffset: Int64, current: ConnectorsAndTasks = .empty) {
            self.id = id
            self.url = url
            self.configOffset = configOffset
            self.current = current
        }

        /// From JoinGroup member metadata, whose allocation carries the member's FULL running set in `assigned`
        /// (as Kafka's WorkerCoordinator snapshot does), not just its last increment.
        public init(id: String, metadata: ConnectMemberMetadata) {
            self.init(id: id, url: metadata.url, configOffset: metadata.configOffset, current: metadata.allocation?.assigned ?? .empty)
        }
    }

    /// The leader's memory between rounds. A new leader starts from `State()` and then cannot recognise lost
    /// work (it is reassigned at once, without delay).
    public struct State: Hashable, Sendable {
        /// Every member's full assignment after the previous round.
        public var previousAssignment: [String: ConnectorsAndTasks]
        /// Work of departed workers held back until `scheduledRebalanceAtMs`.
        public var delayedLost: ConnectorsAndTasks
        /// When held-back work is reassigned (milliseconds on the caller's monotonic clock).
        public var scheduledRebalanceAtMs: Int64?

        public init(previousAssignment: [String: ConnectorsAndTasks] = [:], delayedLost: ConnectorsAndTasks = .empty, scheduledRebalanceAtMs: Int64? = nil) {
            self.previousAssignment = previousAssignment
            self.delayedLost = delayedLost
            self.scheduledRebalanceAtMs = scheduledRebalanceAtMs
        }
    }

    /// One round's inputs.
    public struct Input: Sendable {
        public var members: [Member]
        /// Every connector instance and task that should run (from the config topic).
        public var configured: ConnectorsAndTasks
        public var leaderId: String
        public var leaderUrl: String
        /// How far the leader has read the config topic.
        public var leaderConfigOffset: Int64
        /// Now, in milliseconds on a monotonic clock (the same clock as `State.scheduledRebalanceAtMs`).
        public var nowMs: Int64
        public var state: State
        /// The protocol version the coordinator selected (`compatible` or `sessioned`).
        public var version: ConnectProtocolVersion

        public init(
            members: [Member], configured: ConnectorsAndTasks, leaderId: String, leaderUrl: String,
            leaderConfigOffset: Int64, nowMs: Int64, state: State, version: ConnectProtocolVersion = .sessioned
        ) {
            self.members = members
            self.configured = configured
            self.leaderId = leaderId
            self.leaderUrl = leaderUrl
            self.leaderConfigOffset = leaderConfigOffset
            self.nowMs = nowMs
            self.state = state
            self.version = version
        }
    }

    /// One round's result.
    public struct Output: Sendable {
        /// What to send each member in SyncGroup (`assignment.encode()`).
        public var assignments: [String: ConnectAssignment]
        /// Each member's full assignment once it applied this round (what it runs).
        public var full: [String: ConnectorsAndTasks]
        /// Pass to the next round.
        public var state: State
    }

    /// Computes one round. Deterministic: the same input gives the same output.
    public func assign(_ input: Input) -> Output {
        let members = input.members.sorted { $0.id < $1.id }
        func make(_ assigned: ConnectorsAndTasks, _ revoked: ConnectorsAndTasks, _ delay: Int32, error: Int16 = ConnectAssignment.noError) -> ConnectAssignment {
            ConnectAssignment(
                version: input.version, error: error, leader: input.leaderId, leaderUrl: input.leaderUrl,
                configOffset: input.leaderConfigOffset, assigned: assigned, revoked: revoked, delayMs: delay)
        }
        // A member that read further than the leader: the leader must catch up first.
        if members.contains(where: { $0.configOffset > input.leaderConfigOffset }) {
            var assignments: [String: ConnectAssignment] = [:]
            for m in members { assignments[m.id] = make(.empty, .empty, 0, error: ConnectAssignment.configMismatch) }
            return Output(assignments: assignments, full: Dictionary(uniqueKeysWithValues: members.map { ($0.id, $0.current) }), state: input.state)
        }

        // What each member keeps; deleted and duplicated work is revoked.
        var held: [String: ConnectorsAndTasks] = [:]
        var revoked: [String: ConnectorsAndTasks] = [:]
        var claimed = ConnectorsAndTasks.empty
        for m in members {
            let keep = m.current.intersection(input.configured).subtracting(claimed)
            held[m.id] = keep
            revoked[m.id] = m.current.subtracting(keep)
            claimed = claimed.union(keep)
        }

        // Work of departed members, possibly held back.
        let present = Set(members.map(\.id))
        var lost = input.state.delayedLost
        for (id, work) in input.state.previousAssignment where !present.contains(id) { lost = lost.union(work) }
        lost = lost.intersection(input.configured).subtracting(claimed)
        var unassigned = input.configured.subtracting(claimed).subtracting(lost)
        // Members that joined empty since the loss (typically the departed worker, restarted) take the lost work
        // at once instead of waiting out the delay.
        let newcomers = members.filter { input.state.previousAssignment[$0.id] == nil && $0.current.isEmpty }.map(\.id)
        var toNewcomers = ConnectorsAndTasks.empty
        if !lost.isEmpty && !newcomers.isEmpty && !input.state.previousAssignment.isEmpty {
            toNewcomers = lost
            lost = .empty
        }
        var state = State()
        var delay: Int32 = 0
        if !lost.isEmpty {
            let deadline = input.state.scheduledRebalanceAtMs ?? (input.nowMs + Int64(maxDelayMs))
            if maxDelayMs <= 0 || input.nowMs >= deadline {
                unassigned = unassigned.union(lost)
            } else {
                state.delayedLost = lost
                state.scheduledRebalanceAtMs = deadline
                delay = Int32(clamping: deadline - input.nowMs)
            }
        }

        var balancer = LoadBalancer(members: members.map(\.id), held: held)
        _ = balancer.place(toNewcomers, onto: newcomers)
        let added = balancer.place(unassigned)
        let moved = balancer.revokeSurplus()

        var assignments: [String: ConnectAssignment] = [:]
        var full: [String: ConnectorsAndTasks] = [:]
        for m in members {
            let mine = added[m.id] ?? .empty
            let out = moved[m.id] ?? .empty
            assignments[m.id] = make(mine, (revoked[m.id] ?? .empty).union(out), delay)
            full[m.id] = (held[m.id] ?? .empty).union(mine).subtracting(out)
        }
        state.previousAssignment = full
        return Output(assignments: assignments, full: full, state: state)
    }
}
