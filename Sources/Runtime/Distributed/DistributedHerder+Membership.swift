import ConnectCluster
import Foundation
import SluiceAPI

extension DistributedHerder {
    /// The group membership loop, on its own thread: (re)join when asked, heartbeat otherwise.
    func runMembership() {
        var lastHeartbeatOk = nowMs()
        while !flags.run({ _stopping }) {
            let (rejoin, at) = flags.run { (_needsRejoin, _rejoinAtMs) }
            if rejoin || (at.map { nowMs() >= $0 } ?? false) {
                flags.run {
                    _needsRejoin = false
                    _rejoinAtMs = nil
                }
                do {
                    try rebalance()
                    lastHeartbeatOk = nowMs()
                    flags.run { _ready = true }
                } catch {
                    logger.warning("Rebalance failed, retrying: \(error)")
                    requestRejoin()
                    Thread.sleep(forTimeInterval: 1)
                }
                continue
            }
            Thread.sleep(forTimeInterval: Double(heartbeatIntervalMs) / 1000)
            if flags.run({ _stopping }) { break }
            do {
                let code = try member.heartbeat()
                lastHeartbeatOk = nowMs()
                if code != .none {
                    logger.info("Heartbeat answered \(code): rejoining the group")
                    requestRejoin()
                }
            } catch {
                // No split brain: once the coordinator has not heard from us for a session timeout, it has given our
                // work to others, so stop it here too. Shorter outages are retried without disturbing the tasks.
                if nowMs() - lastHeartbeatOk >= Int64(member.configuration.sessionTimeoutMs) {
                    logger.warning("No successful heartbeat for session.timeout.ms (\(error)): stopping local work until rejoined")
                    queue.sync { self.revokeAll() }
                    requestRejoin()
                } else {
                    logger.info("Heartbeat failed (\(error)); retrying")
                }
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }

    /// One rebalance: read the config topic to its end, join with our metadata, let the leader assign, apply ours.
    func rebalance() throws {
        try configStore.readToEnd()
        let snapshot = configStore.snapshot()
        let current = queue.sync { assigned }
        let allocation = ConnectAssignment(version: .compatible, leader: "", leaderUrl: "", configOffset: snapshot.offset, assigned: current)
        let metadata = ConnectMemberMetadata(version: .compatible, url: url, configOffset: snapshot.offset, allocation: allocation)
        // joinAndSync rejoins by itself when the group moves on between JoinGroup and SyncGroup.
        let (_, mine) = try member.joinAndSync(protocols: [.init(name: ConnectProtocolVersion.compatible.protocolName, metadata: metadata.encode())]) { join in
            guard join.isLeader else { return [:] }
            var members: [IncrementalCooperativeAssignor.Member] = []
            for m in join.members {
                members.append(IncrementalCooperativeAssignor.Member(id: m.memberId, metadata: try ConnectMemberMetadata.decode(m.metadata)))
            }
            let input = IncrementalCooperativeAssignor.Input(
                members: members, configured: activeWork(snapshot), leaderId: join.leaderId, leaderUrl: url,
                leaderConfigOffset: snapshot.offset, nowMs: nowMs(), state: queue.sync { assignorState }, version: .compatible)
            let output = assignor.assign(input)
            queue.sync { assignorState = output.state }
            return output.assignments.mapValues { $0.encode() }
        }
        let assignment = try ConnectAssignment.decode(mine)
        logger.info("Rebalance done (generation \(member.generationId), leader \(assignment.leaderUrl)): assigned \(assignment.assigned), revoked \(assignment.revoked)\(assignment.delayMs > 0 ? ", rebalance again in \(assignment.delayMs) ms" : "")")
        queue.sync { apply(assignment, snapshot: configStore.snapshot()) }
        if !assignment.revoked.isEmpty { requestRejoin() }
        if assignment.delayMs > 0 { requestRejoin(atMs: nowMs() + Int64(assignment.delayMs)) }
    }

    /// Connectors and tasks that should run: stopped connectors have neither.
    func activeWork(_ s: ClusterConfigSnapshot) -> ConnectorsAndTasks {
        var w = ConnectorsAndTasks.empty
        for (name, _) in s.connectorConfigs where s.targetState(name) != .stopped {
            w.connectors.insert(name)
            for t in s.tasks(of: name) { w.tasks.insert(t) }
        }
        return w
    }

    /// Reacts to records on the config topic (delivered on the log's thread).
    func onConfigUpdate(_ update: KafkaConfigStore.Update) {
        queue.async {
            let s = self.configStore.snapshot()
            switch update {
            case .connectorConfig(let name):
                if self.connectors[name] != nil, self.connectors[name]?.config != s.connectorConfigs[name] {
                    self.stopConnector(name)
                    self.startConnector(name, snapshot: s)
                }
                self.requestRejoin()
            case .connectorRemoved(let name):
                self.stopConnector(name)
                for id in self.tasks.keys where id.connector == name { self.stopTask(id) }
                self.requestRejoin()
            case .taskConfigs(let name):
                // New task configs: restart the ones we run with their new config, and rebalance for added/removed tasks.
                for (id, _) in self.tasks where id.connector == name && s.taskConfigs[id] != self.taskConfigsInUse[id] {
                    self.stopTask(id)
                }
                self.startAssignedTasks(snapshot: s)
                self.requestRejoin()
            case .targetState(let name):
                self.applyTargetState(name, snapshot: s)
            case .restartRequested(let name, let includeTasks, let onlyFailed):
                self.handleRestart(name, includeTasks: includeTasks, onlyFailed: onlyFailed, snapshot: s)
            }
        }
    }
}
