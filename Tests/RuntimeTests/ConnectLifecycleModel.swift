/// What Kafka Connect 3.9's REST API shows of a connector's lifecycle, as a pure state machine the randomized
/// lifecycle test compares a real worker against.
///
/// Confirmed by hand against the reference (scripts/reference.sh: Apache Kafka Connect 3.9.0 standalone on a
/// noida-db broker, FileStream source and sink; statuses read a few seconds after each call):
/// - create → 201, RUNNING with its tasks RUNNING; creating an existing name → 409.
/// - pause of a RUNNING connector → 202, connector and tasks PAUSED. pause of a STOPPED connector → 202, connector
///   PAUSED with NO tasks (Kafka only generates task configs while a connector is STARTED; stop deleted them).
///   A connector created with `initial_state=PAUSED` is also PAUSED without tasks.
/// - resume from any state → 202, RUNNING with tasks RUNNING (task configs are generated again).
/// - stop from any state → 204, STOPPED with no tasks.
/// - POST /restart → 204, state unchanged (a STOPPED one stays STOPPED, a task-less PAUSED one stays task-less).
///   POST /restart?includeTasks=true → 202 with a RESTARTING snapshot, then the same state as before.
///   `onlyFailed=true` restarts nothing here (nothing failed) → 202, unchanged.
/// - POST /tasks/0/restart → 204 when the task exists; 404 "Task x-0 not found" when the connector has no tasks.
///   (The reference then ALSO records a FAILED task with a NullPointerException trace: a Kafka bug Sluice does not
///   copy; Sluice leaves the state unchanged.)
/// - DELETE /connectors/x → 204 in every state; afterwards 404 everywhere.
/// - GET /offsets → 200 in every state. DELETE /offsets → 200 only when STOPPED; 400 ("must be in the STOPPED
///   state") when RUNNING or PAUSED — including PAUSED straight from STOPPED.
struct ConnectLifecycleModel {
    enum State: Equatable, Sendable {
        case running
        /// `hasTasks` is false when paused from STOPPED (or created paused): no task configs exist.
        case paused(hasTasks: Bool)
        case stopped
    }

    struct Connector: Equatable, Sendable {
        var state: State
        let taskCount: Int
    }

    enum Op: String, CaseIterable, Sendable {
        case create, pause, resume, stop, restart, restartWithTasks, restartOnlyFailed, restartTask, delete
        case getOffsets, deleteOffsets
    }

    private(set) var connectors: [String: Connector] = [:]

    /// Applies `op` to connector `name` (with `taskCount` tasks when running) and returns the HTTP status Kafka
    /// Connect answers.
    mutating func apply(_ op: Op, _ name: String, taskCount: Int) -> Int {
        guard var c = connectors[name] else { return op == .create ? create(name, taskCount) : 404 }
        defer { if connectors[name] != nil { connectors[name] = c } }
        switch op {
        case .create: return 409
        case .pause:
            c.state = c.state == .running || c.state == .paused(hasTasks: true) ? .paused(hasTasks: true) : .paused(hasTasks: false)
            return 202
        case .resume:
            c.state = .running
            return 202
        case .stop:
            c.state = .stopped
            return 204
        case .restart: return 204
        case .restartWithTasks, .restartOnlyFailed: return 202
        case .restartTask: return expectedTasks(c).isEmpty ? 404 : 204
        case .delete:
            connectors[name] = nil
            return 204
        case .getOffsets: return 200
        case .deleteOffsets: return c.state == .stopped ? 200 : 400
        }
    }

    private mutating func create(_ name: String, _ taskCount: Int) -> Int {
        connectors[name] = Connector(state: .running, taskCount: taskCount)
        return 201
    }

    /// The connector state and the task states GET /connectors/x/status shows once the worker settled.
    func expectedStatus(_ name: String) -> (connector: String, tasks: [String])? {
        guard let c = connectors[name] else { return nil }
        let label: String
        switch c.state {
        case .running: label = "RUNNING"
        case .paused: label = "PAUSED"
        case .stopped: label = "STOPPED"
        }
        return (label, expectedTasks(c).map { _ in label })
    }

    private func expectedTasks(_ c: Connector) -> [Int] {
        switch c.state {
        case .running, .paused(hasTasks: true): return Array(0..<c.taskCount)
        case .paused(hasTasks: false), .stopped: return []
        }
    }
}
