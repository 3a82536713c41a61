import Foundation
import SluiceAPI

/// A sink connector's consumer group on the direct bus: its members (the connector's tasks), what they subscribe
/// to, who owns which partition and the committed offsets. Pure state; the bus locks around it.
///
/// Partitions move cooperatively: a member gives up what it no longer should own (after its sink task committed
/// and closed it) before another member may claim it, so two tasks never read the same partition at once.
struct DirectGroup {
    enum Subscription: Equatable {
        case topics(Set<String>)
        case pattern(String)

        func matches(_ topic: String) -> Bool {
            switch self {
            case .topics(let set): return set.contains(topic)
            case .pattern(let p):
                guard let regex = try? NSRegularExpression(pattern: p) else { return false }
                let range = NSRange(topic.startIndex..., in: topic)
                guard let m = regex.firstMatch(in: topic, range: range) else { return false }
                return m.range == range  // Kafka's pattern subscription matches whole topic names
            }
        }
    }

    let id: String
    /// Live members by member id, with their subscriptions.
    private(set) var members: [Int: Subscription] = [:]
    /// Every subscription the group ever had: a group whose tasks are stopped or restarting still holds the records
    /// it has not committed (nothing is lost while a sink is paused, stopped or restarting).
    private(set) var subscriptions: [Subscription] = []
    var owners: [TopicPartition: Int] = [:]
    var committed: [TopicPartition: Int64] = [:]

    init(id: String) { self.id = id }

    mutating func join(member: Int, _ subscription: Subscription) {
        members[member] = subscription
        if !subscriptions.contains(subscription) { subscriptions.append(subscription) }
    }

    mutating func leave(member: Int) {
        members.removeValue(forKey: member)
        for (tp, owner) in owners where owner == member { owners.removeValue(forKey: tp) }
    }

    /// Whether this group holds records of `topic` until it commits them.
    func holds(_ topic: String) -> Bool { subscriptions.contains { $0.matches(topic) } }

    /// The partitions `member` should own: the matching partitions (sorted) dealt round-robin over the members
    /// that subscribe to each topic, in member-id order.
    func target(for member: Int, partitions: [String: Int]) -> Set<TopicPartition> {
        guard let mine = members[member] else { return [] }
        var out = Set<TopicPartition>()
        for topic in partitions.keys.sorted() where mine.matches(topic) {
            let eligible = members.filter { $0.value.matches(topic) }.keys.sorted()
            guard let index = eligible.firstIndex(of: member) else { continue }
            for p in 0..<(partitions[topic] ?? 0) where p % eligible.count == index {
                out.insert(TopicPartition(topic, Int32(p)))
            }
        }
        return out
    }
}
