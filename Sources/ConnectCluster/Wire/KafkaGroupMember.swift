import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One member of a Kafka group with a custom protocol type (`connect`), speaking to the broker's group coordinator
/// directly because librdkafka only exposes the `consumer` protocol.
///
/// It does the protocol mechanics — bootstrap, ApiVersions negotiation, coordinator discovery and re-discovery,
/// the MEMBER_ID_REQUIRED second join, member-id and generation bookkeeping — and leaves the policy (when to rejoin,
/// what metadata to send, how to assign) to its caller, the distributed herder's membership thread:
///
///     let join = try member.join(protocols: [...])           // blocks until the group formed
///     let mine = try member.sync(assignments: join.isLeader ? computeAll(join.members) : [:])
///     loop { sleep(heartbeat interval); if try member.heartbeat() != .none { rejoin } }
///     member.leave()
///
/// Synchronous and blocking (see `KafkaBrokerConnection`): call it from one dedicated thread; `leave`/`close` may
/// come from another.
public final class KafkaGroupMember: Sendable {
    /// How to reach the cluster and how to behave in the group.
    public struct Configuration: Sendable, Hashable {
        /// `host:port[,host:port...]` as in `bootstrap.servers`.
        public var bootstrapServers: String
        public var groupId: String
        public var clientId: String
        /// `session.timeout.ms`: a member silent for this long is expelled.
        public var sessionTimeoutMs: Int32
        /// `rebalance.timeout.ms`: how long the coordinator waits for members to rejoin.
        public var rebalanceTimeoutMs: Int32
        /// Timeout for requests other than JoinGroup (which waits up to the rebalance timeout plus this).
        public var requestTimeoutMs: Int
        public var protocolType: String
        /// How long the leader waits before sending its SyncGroup. librdkafka's mock coordinator completes a sync
        /// the moment the leader's assignments arrive and answers a follower's SyncGroup that comes later with
        /// INVALID_REQUEST (a real broker hands it the stored assignment), so against the embedded cluster a short
        /// delay (≈200 ms) lets followers sync first. 0 for real Kafka.
        public var leaderSyncDelayMs: Int
        /// TLS and SASL for every connection (bootstrap and coordinator), as the worker's librdkafka clients use.
        public var security: KafkaWireSecurity

        public init(
            bootstrapServers: String, groupId: String, clientId: String = "sluice", sessionTimeoutMs: Int32 = 10_000,
            rebalanceTimeoutMs: Int32 = 60_000, requestTimeoutMs: Int = 40_000, protocolType: String = "connect",
            leaderSyncDelayMs: Int = 0, security: KafkaWireSecurity = .plaintext
        ) {
            self.security = security
            self.leaderSyncDelayMs = leaderSyncDelayMs
            self.bootstrapServers = bootstrapServers
            self.groupId = groupId
            self.clientId = clientId
            self.sessionTimeoutMs = sessionTimeoutMs
            self.rebalanceTimeoutMs = rebalanceTimeoutMs
            self.requestTimeoutMs = requestTimeoutMs
            self.protocolType = protocolType
        }
    }

    /// The outcome of a successful JoinGroup.
    public struct JoinResult: Sendable, Hashable {
        public var generationId: Int32
        public var memberId: String
        public var leaderId: String
        /// The protocol the coordinator selected among those offered.
        public var protocolName: String
        /// Every member with its metadata, for the leader; empty for followers.
        public var members: [JoinGroupRequest.Member]
        public var isLeader: Bool { memberId == leaderId }
    }

    public let configuration: Configuration
    private let logger: Logger
    private let state = Mutex<State>(State())

    private struct State {
        var coordinator: KafkaBrokerConnection?
        var versions: [KafkaApiKey: Int16] = [:]
        var memberId = ""
        var generationId: Int32 = -1
        var closed = false
    }

    public init(configuration: Configuration, logger: Logger = Logger(label: "sluice.cluster.group")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The member id the coordinator gave us ("" before the first join or after being expelled).
    public var memberId: String { state.withLock { $0.memberId } }
    /// The generation of the last successful join (-1 before).
    public var generationId: Int32 { state.withLock { $0.generationId } }
    /// The API versions negotiated with the coordinator (after the first request).
    public var negotiatedVersions: [KafkaApiKey: Int16] { state.withLock { $0.versions } }

    /// Joins (or rejoins) the group, blocking until the coordinator completes the rebalance.
    ///
    /// Retries coordinator moves and MEMBER_ID_REQUIRED/UNKNOWN_MEMBER_ID by itself, for up to the rebalance timeout
    /// plus the request timeout; throws on anything else (e.g. INCONSISTENT_GROUP_PROTOCOL).
    public func join(protocols: [JoinGroupRequest.GroupProtocol]) throws(KafkaWireError) -> JoinResult {
        let c = configuration
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(c.rebalanceTimeoutMs) + c.requestTimeoutMs))
        while true {
            let (connection, version) = try coordinator(for: JoinGroupRequest.self)
            let request = JoinGroupRequest(
                groupId: c.groupId, sessionTimeoutMs: c.sessionTimeoutMs, rebalanceTimeoutMs: c.rebalanceTimeoutMs,
                memberId: memberId, protocolType: c.protocolType, protocols: protocols)
            let response: JoinGroupRequest.Response
            do {
                response = try connection.send(request, version: version, timeoutMs: Int(c.rebalanceTimeoutMs) + c.requestTimeoutMs)
            } catch {
                try retryOrThrow(error, deadline: deadline)
                continue
            }
            switch response.errorCode {
            case .none:
                state.withLock {
                    $0.memberId = response.memberId
                    $0.generationId = response.generationId
                }
                logger.debug("joined group '\(c.groupId)' generation \(response.generationId) as \(response.memberId), leader \(response.leader)")
                return JoinResult(
                    generationId: response.generationId, memberId: response.memberId, leaderId: response.leader,
                    protocolName: response.protocolName, members: response.members)
            case .memberIdRequired:
                state.withLock { $0.memberId = response.memberId }
            case .unknownMemberId:
                state.withLock { $0.memberId = "" }
            case .rebalanceInProgress:
                break
            case let code where code.needsCoordinatorRediscovery:
                dropCoordinator()
                try pause(until: deadline, "JoinGroup", code)
            default:
                throw KafkaWireError.broker(api: "JoinGroup for group '\(c.groupId)'", code: response.errorCode, message: nil)
            }
            if ContinuousClock.now >= deadline {
                throw KafkaWireError.broker(api: "JoinGroup for group '\(c.groupId)'", code: response.errorCode, message: "gave up retrying")
            }
        }
    }

    /// Sends this member's SyncGroup (the leader passes every member's assignment, followers pass `[:]`) and returns
    /// its own assignment bytes.
    ///
    /// Throws `.broker` with REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION or UNKNOWN_MEMBER_ID when the group moved on
    /// (and INVALID_REQUEST from the mock cluster for a follower that synced after the leader, see
    /// `leaderSyncDelayMs`): the caller rejoins.
    public func sync(assignments: [String: [UInt8]]) throws(KafkaWireError) -> [UInt8] {
        if !assignments.isEmpty && configuration.leaderSyncDelayMs > 0 {
            usleep(UInt32(clamping: configuration.leaderSyncDelayMs * 1000))
        }
        let (connection, version) = try coordinator(for: SyncGroupRequest.self)
        let (member, generation) = state.withLock { ($0.memberId, $0.generationId) }
        let request = SyncGroupRequest(
            groupId: configuration.groupId, generationId: generation, memberId: member,
            assignments: assignments.sorted { $0.key < $1.key }.map { .init(memberId: $0.key, assignment: $0.value) })
        let response = try connection.send(request, version: version, timeoutMs: Int(configuration.rebalanceTimeoutMs) + configuration.requestTimeoutMs)
        try handleGroupError(response.errorCode, api: "SyncGroup")
        return response.assignment
    }

    /// Joins and syncs as one step, rejoining while the group moves on underneath (REBALANCE_IN_PROGRESS,
    /// ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, a moved coordinator, or the mock cluster's INVALID_REQUEST for a late
    /// follower — see `Configuration.leaderSyncDelayMs`). `assign` runs on the leader only, after each successful
    /// join, and returns every member's assignment bytes; its errors are thrown as they are.
    ///
    /// A member that completed its sync may still be told by its next heartbeat that another member rejoined
    /// (REBALANCE_IN_PROGRESS): call this again then.
    public func joinAndSync(
        protocols: [JoinGroupRequest.GroupProtocol], timeoutMs: Int? = nil,
        assign: (JoinResult) throws -> [String: [UInt8]]
    ) throws -> (join: JoinResult, assignment: [UInt8]) {
        let c = configuration
        let limit = timeoutMs ?? 2 * (Int(c.rebalanceTimeoutMs) + c.requestTimeoutMs)
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(limit))
        while true {
            let join = try self.join(protocols: protocols)
            let assignments = join.isLeader ? try assign(join) : [:]
            let result: Result<[UInt8], KafkaWireError>
            do {
                result = .success(try sync(assignments: assignments))
            } catch {
                result = .failure(error)
            }
            switch result {
            case .success(let assignment):
                return (join, assignment)
            case .failure(.broker(let api, let code, _))
                where (code == .rebalanceInProgress || code == .illegalGeneration || code == .unknownMemberId
                    || code == .invalidRequest || code.needsCoordinatorRediscovery) && ContinuousClock.now < deadline:
                logger.debug("group '\(c.groupId)': \(api) got \(code); rejoining")
            case .failure(let error):
                throw error
            }
        }
    }

    /// Sends one heartbeat. Returns `.none` while the membership is current; REBALANCE_IN_PROGRESS (rejoin, keeping
    /// the member id), ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID (rejoin; the member id was reset when unknown) or a
    /// coordinator error (the coordinator will be looked up again on the next request) otherwise.
    /// Throws only when the coordinator cannot be reached at all.
    public func heartbeat() throws(KafkaWireError) -> KafkaProtocolErrorCode {
        let (connection, version) = try coordinator(for: HeartbeatRequest.self)
        let (member, generation) = state.withLock { ($0.memberId, $0.generationId) }
        let request = HeartbeatRequest(groupId: configuration.groupId, generationId: generation, memberId: member)
        let response: HeartbeatRequest.Response
        do {
            response = try connection.send(request, version: version, timeoutMs: configuration.requestTimeoutMs)
        } catch {
            dropCoordinator()
            throw error
        }
        if response.errorCode.needsCoordinatorRediscovery { dropCoordinator() }
        if response.errorCode == .unknownMemberId { state.withLock { $0.memberId = ""; $0.generationId = -1 } }
        return response.errorCode
    }

    /// Leaves the group (best effort: errors are logged) so the others rebalance at once. The member id is reset,
    /// so a later `join` enters as a new member.
    public func leave() {
        let member = state.withLock { $0.memberId }
        guard !member.isEmpty else { return }
        do {
            let (connection, version) = try coordinator(for: LeaveGroupRequest.self)
            let response = try connection.send(
                LeaveGroupRequest(groupId: configuration.groupId, memberId: member), version: version,
                timeoutMs: configuration.requestTimeoutMs)
            if response.errorCode != .none {
                logger.info("LeaveGroup for group '\(configuration.groupId)': \(response.errorCode)")
            }
        } catch {
            logger.info("LeaveGroup for group '\(configuration.groupId)' failed: \(error)")
        }
        state.withLock { $0.memberId = ""; $0.generationId = -1 }
    }

    /// Closes the coordinator connection without leaving (the coordinator expels us after the session timeout).
    public func close() {
        let connection = state.withLock { state in
            state.closed = true
            defer { state.coordinator = nil }
            return state.coordinator
        }
        connection?.close()
    }

    private func handleGroupError(_ code: KafkaProtocolErrorCode, api: String) throws(KafkaWireError) {
        guard code != .none else { return }
        if code.needsCoordinatorRediscovery { dropCoordinator() }
        if code == .unknownMemberId { state.withLock { $0.memberId = ""; $0.generationId = -1 } }
        throw KafkaWireError.broker(api: "\(api) for group '\(configuration.groupId)'", code: code, message: nil)
    }

    private func retryOrThrow(_ error: KafkaWireError, deadline: ContinuousClock.Instant) throws(KafkaWireError) {
        dropCoordinator()
        guard case .connection = error, ContinuousClock.now < deadline, !state.withLock({ $0.closed }) else { throw error }
        logger.info("group '\(configuration.groupId)': \(error); retrying")
        usleep(200_000)
    }

    private func pause(until deadline: ContinuousClock.Instant, _ api: String, _ code: KafkaProtocolErrorCode) throws(KafkaWireError) {
        guard ContinuousClock.now < deadline else {
            throw KafkaWireError.broker(api: "\(api) for group '\(configuration.groupId)'", code: code, message: "gave up retrying")
        }
        usleep(200_000)
    }

    private func dropCoordinator() {
        let old = state.withLock { state in
            defer { state.coordinator = nil }
            return state.coordinator
        }
        old?.close()
    }

    /// The coordinator connection (discovered on first use or after a drop) and the version to use for `R`.
    private func coordinator<R: KafkaRequest>(for type: R.Type) throws(KafkaWireError) -> (KafkaBrokerConnection, Int16) {
        if let (connection, versions) = state.withLock({ s in s.coordinator.map { ($0, s.versions) } }),
           !connection.isBroken, let version = versions[R.apiKey] {
            return (connection, version)
        }
        let (connection, versions) = try discoverCoordinator()
        guard let version = versions[R.apiKey] else {
            throw KafkaWireError.unsupportedVersion(api: "\(R.apiKey)", brokerRange: nil, clientVersions: Array(R.implementedVersions))
        }
        let closed = state.withLock { state in
            if state.closed { return true }
            state.coordinator = connection
            state.versions = versions
            return false
        }
        if closed {
            connection.close()
            throw KafkaWireError.connection("group member for '\(configuration.groupId)' is closed")
        }
        return (connection, version)
    }

    /// Asks each bootstrap broker in turn for the group's coordinator and connects to it.
    private func discoverCoordinator() throws(KafkaWireError) -> (KafkaBrokerConnection, [KafkaApiKey: Int16]) {
        let c = configuration
        var lastError = KafkaWireError.connection("no bootstrap servers in '\(c.bootstrapServers)'")
        for server in KafkaBootstrapAddress.parse(c.bootstrapServers) {
            do {
                let bootstrap = try KafkaBrokerConnection.connect(
                    host: server.host, port: server.port, clientId: c.clientId, timeoutMs: c.requestTimeoutMs, security: c.security)
                defer { bootstrap.close() }
                let versions = try KafkaVersionNegotiation.negotiate(bootstrap, timeoutMs: c.requestTimeoutMs)
                let found = try bootstrap.send(
                    FindCoordinatorRequest(groupId: c.groupId), version: versions[.findCoordinator] ?? 0, timeoutMs: c.requestTimeoutMs)
                guard found.errorCode == .none else {
                    lastError = .broker(api: "FindCoordinator for group '\(c.groupId)'", code: found.errorCode, message: found.errorMessage)
                    continue
                }
                let coordinator = try KafkaBrokerConnection.connect(
                    host: found.host, port: Int(found.port), clientId: c.clientId, timeoutMs: c.requestTimeoutMs, security: c.security)
                let coordinatorVersions = try KafkaVersionNegotiation.negotiate(coordinator, timeoutMs: c.requestTimeoutMs)
                logger.debug("group '\(c.groupId)' coordinator is broker \(found.nodeId) at \(found.host):\(found.port)")
                return (coordinator, coordinatorVersions)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }
}
