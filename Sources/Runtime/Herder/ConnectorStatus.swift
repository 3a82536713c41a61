import SluiceAPI

/// Run states of connectors and tasks as REST reports them (`AbstractStatus.State`).
public enum RunState: String, Sendable, Hashable {
    case unassigned = "UNASSIGNED", running = "RUNNING", paused = "PAUSED", failed = "FAILED"
    case restarting = "RESTARTING", stopped = "STOPPED", destroyed = "DESTROYED"
}

/// What a user asked a connector to be (`TargetState`).
public enum TargetState: String, Sendable, Hashable {
    case started = "STARTED", paused = "PAUSED", stopped = "STOPPED"

    /// Parses REST `initial_state` (`RUNNING|PAUSED|STOPPED`) or stored names.
    public init?(restName: String) {
        switch restName.uppercased() {
        case "RUNNING", "STARTED": self = .started
        case "PAUSED": self = .paused
        case "STOPPED": self = .stopped
        default: return nil
        }
    }
}

/// The status of one connector or task instance.
public struct InstanceStatus: Sendable, Hashable {
    public var state: RunState
    public var workerId: String
    public var trace: String?
    public var generation: Int

    public init(state: RunState, workerId: String, trace: String? = nil, generation: Int = 0) {
        self.state = state
        self.workerId = workerId
        self.trace = trace.map(Secrets.scrub)  // served by REST status: no secret a failure message carried
        self.generation = generation
    }

    /// `{"state":"RUNNING","worker_id":"host:8083"}` plus `trace` when non-empty, as REST shows it.
    func json(taskId: Int? = nil) -> JSONValue {
        var o = JSONObject()
        if let taskId { o["id"] = .int(Int64(taskId)) }
        o["state"] = .string(state.rawValue)
        o["worker_id"] = .string(workerId)
        if let trace, !trace.isEmpty { o["trace"] = .string(trace) }
        return .object(o)
    }
}

/// Connector kind as REST reports it.
public enum ConnectorType: String, Sendable {
    case source, sink, unknown
}

/// A task's identity `{"connector": name, "task": n}`.
public struct ConnectorTaskId: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var connector: String
    public var task: Int
    public init(_ connector: String, _ task: Int) {
        self.connector = connector
        self.task = task
    }
    public var description: String { "\(connector)-\(task)" }
    public static func < (a: Self, b: Self) -> Bool { a.connector == b.connector ? a.task < b.task : a.connector < b.connector }
    var json: JSONValue { .object(["connector": .string(connector), "task": .int(Int64(task))]) }
}
