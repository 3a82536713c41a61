/// A task of a connector (`<connector>-<n>` in Kafka Connect's status and config keys).
public struct ConnectTaskId: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var connector: String
    public var task: Int32

    public init(connector: String, task: Int32) {
        self.connector = connector
        self.task = task
    }

    public static func < (a: Self, b: Self) -> Bool { (a.connector, a.task) < (b.connector, b.task) }

    public var description: String { "\(connector)-\(task)" }
}

/// A set of connector instances and tasks: what one worker runs, what it must stop, or what is unassigned.
public struct ConnectorsAndTasks: Hashable, Sendable, CustomStringConvertible {
    public var connectors: Set<String>
    public var tasks: Set<ConnectTaskId>

    public init(connectors: Set<String> = [], tasks: Set<ConnectTaskId> = []) {
        self.connectors = connectors
        self.tasks = tasks
    }

    public static let empty = ConnectorsAndTasks()

    public var isEmpty: Bool { connectors.isEmpty && tasks.isEmpty }
    public var count: Int { connectors.count + tasks.count }

    public func union(_ other: Self) -> Self {
        Self(connectors: connectors.union(other.connectors), tasks: tasks.union(other.tasks))
    }

    public func subtracting(_ other: Self) -> Self {
        Self(connectors: connectors.subtracting(other.connectors), tasks: tasks.subtracting(other.tasks))
    }

    public func intersection(_ other: Self) -> Self {
        Self(connectors: connectors.intersection(other.connectors), tasks: tasks.intersection(other.tasks))
    }

    public var description: String {
        "{connectors: \(connectors.sorted()), tasks: \(tasks.sorted().map(\.description))}"
    }
}
