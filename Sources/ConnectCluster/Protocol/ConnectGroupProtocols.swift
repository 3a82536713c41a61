/// The JoinGroup protocol list a Sluice worker offers: `sessioned` then `compatible`, both carrying the same
/// metadata except for the version field, so the coordinator picks the best one every member supports.
public enum ConnectGroupProtocols {
    /// - Parameters:
    ///   - url: this worker's advertised REST URL.
    ///   - configOffset: how far this worker has read the config topic (`ClusterConfigSnapshot.offset`).
    ///   - running: everything this worker runs now (its full set, not the last increment).
    ///   - leader/leaderUrl: from the last assignment ("" before the first).
    public static func offer(
        url: String, configOffset: Int64, running: ConnectorsAndTasks, leader: String = "", leaderUrl: String = ""
    ) -> [JoinGroupRequest.GroupProtocol] {
        [ConnectProtocolVersion.sessioned, .compatible].map { version in
            let allocation = running.isEmpty ? nil : ConnectAssignment(
                version: version, leader: leader, leaderUrl: leaderUrl, configOffset: configOffset, assigned: running)
            let metadata = ConnectMemberMetadata(version: version, url: url, configOffset: configOffset, allocation: allocation)
            return JoinGroupRequest.GroupProtocol(name: version.protocolName, metadata: metadata.encode())
        }
    }
}
