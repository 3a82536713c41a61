#if canImport(Glibc)
import Glibc
#endif
@testable import ConnectCluster

/// What a herder's membership loop does, reduced for tests: join+sync, then confirm with heartbeats that the
/// group did not move on (another member rejoining makes everyone rejoin); repeat until stable.
enum GroupConvergence {
    static func converge(
        _ member: KafkaGroupMember, protocols: [JoinGroupRequest.GroupProtocol], stableMs: Int = 1_500,
        assign: (KafkaGroupMember.JoinResult) throws -> [String: [UInt8]]
    ) throws -> (join: KafkaGroupMember.JoinResult, assignment: [UInt8]) {
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while true {
            let result = try member.joinAndSync(protocols: protocols, assign: assign)
            var stable = true
            for _ in 0..<(stableMs / 250) {
                usleep(250_000)
                if try member.heartbeat() != .none { stable = false; break }
            }
            if stable || ContinuousClock.now >= deadline { return result }
        }
    }
}
