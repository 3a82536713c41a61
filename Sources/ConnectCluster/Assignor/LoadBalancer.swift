/// The placement half of `IncrementalCooperativeAssignor`: puts unassigned work on the least-loaded workers and
/// picks the surplus to revoke from overloaded ones. Connectors and tasks are balanced separately, as in Kafka.
struct LoadBalancer {
    private let members: [String]
    private var connectors: [String: Set<String>]
    private var tasks: [String: Set<ConnectTaskId>]
    /// What `place` added, so that `revokeSurplus` never takes back work assigned in the same round.
    private var added: [String: ConnectorsAndTasks] = [:]

    init(members: [String], held: [String: ConnectorsAndTasks]) {
        self.members = members.sorted()
        connectors = held.mapValues(\.connectors)
        tasks = held.mapValues(\.tasks)
        for m in members {
            if connectors[m] == nil { connectors[m] = [] }
            if tasks[m] == nil { tasks[m] = [] }
        }
    }

    /// Places each item on the member with the least of its kind; a task prefers the member with the fewest tasks
    /// of the same connector, then the lowest member id. `onto` restricts the candidates (default: every member).
    /// Returns what each member got so far.
    mutating func place(_ work: ConnectorsAndTasks, onto: [String]? = nil) -> [String: ConnectorsAndTasks] {
        let members = (onto ?? self.members).sorted()
        guard !members.isEmpty else { return added }
        for connector in work.connectors.sorted() {
            let target = members.min { (connectors[$0]!.count, $0) < (connectors[$1]!.count, $1) }!
            connectors[target]!.insert(connector)
            added[target, default: .empty].connectors.insert(connector)
        }
        for task in work.tasks.sorted() {
            func key(_ m: String) -> (Int, Int, String) {
                (tasks[m]!.count, tasks[m]!.filter { $0.connector == task.connector }.count, m)
            }
            let target = members.min { key($0) < key($1) }!
            tasks[target]!.insert(task)
            added[target, default: .empty].tasks.insert(task)
        }
        return added
    }

    /// Revokes the surplus of overloaded members so every member ends within one item of the others (per kind).
    mutating func revokeSurplus() -> [String: ConnectorsAndTasks] {
        var revoked: [String: ConnectorsAndTasks] = [:]
        for (member, count) in surplus(connectors.mapValues(\.count)) {
            let candidates = connectors[member]!.subtracting(added[member]?.connectors ?? []).sorted(by: >).prefix(count)
            for c in candidates {
                connectors[member]!.remove(c)
                revoked[member, default: .empty].connectors.insert(c)
            }
        }
        for (member, count) in surplus(tasks.mapValues(\.count)) {
            for _ in 0..<count {
                // Take from the connector this member runs most tasks of: spreads each connector's tasks.
                let movable = tasks[member]!.subtracting(added[member]?.tasks ?? [])
                var perConnector: [String: [ConnectTaskId]] = [:]
                for t in movable { perConnector[t.connector, default: []].append(t) }
                guard let busiest = perConnector.max(by: { ($0.value.count, $1.key) < ($1.value.count, $0.key) }),
                      let task = busiest.value.max() else { break }
                tasks[member]!.remove(task)
                revoked[member, default: .empty].tasks.insert(task)
            }
        }
        return revoked
    }

    /// How many items each overloaded member must give up: the fair shares (⌈T/n⌉ for the T mod n most loaded
    /// members, ⌊T/n⌋ for the rest) compared with what they hold.
    private func surplus(_ loads: [String: Int]) -> [(String, Int)] {
        let n = members.count
        guard n > 0 else { return [] }
        let total = loads.values.reduce(0, +)
        let base = total / n, extra = total % n
        let ordered = members.sorted { (loads[$0]!, $1) > (loads[$1]!, $0) }
        var result: [(String, Int)] = []
        for (rank, member) in ordered.enumerated() {
            let target = base + (rank < extra ? 1 : 0)
            if loads[member]! > target { result.append((member, loads[member]! - target)) }
        }
        return result
    }
}
