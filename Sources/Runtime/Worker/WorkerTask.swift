import Foundation
import Logging
import SluiceAPI

/// Receives status changes of connectors and tasks (the herder's status store and restart policy).
protocol TaskStatusListener: AnyObject, Sendable {
    func onTaskStatus(_ task: WorkerTask, _ state: RunState, trace: String?)
}

/// The lifecycle every running task shares: a dedicated thread (tasks may block on I/O, so never the Swift
/// concurrency pool), the target state (started/paused), and a cooperative stop flag.
class WorkerTask: @unchecked Sendable {
    let id: ConnectorTaskId
    let logger: Logger
    let statusListener: any TaskStatusListener
    private let condition = NSCondition()
    private var _targetState: TargetState
    private var _stopping = false
    private var finished = false
    private var thread: Thread?

    init(id: ConnectorTaskId, initialState: TargetState, logger: Logger, statusListener: any TaskStatusListener) {
        self.id = id
        self._targetState = initialState
        self.logger = logger
        self.statusListener = statusListener
    }

    var isStopping: Bool { condition.lock(); defer { condition.unlock() }; return _stopping }
    var targetState: TargetState { condition.lock(); defer { condition.unlock() }; return _targetState }

    /// Starts the task's thread.
    func start() {
        let t = Thread { [self] in
            OSThreadName.setCurrent(role: "T", id: "\(self.id)")
            self.runGuarded()
            self.condition.lock()
            self.finished = true
            self.condition.broadcast()
            self.condition.unlock()
        }
        t.name = "task-\(id)"
        t.stackSize = 4 << 20
        thread = t
        t.start()
    }

    private func runGuarded() {
        run()
    }

    /// The task's work; subclasses override. Runs until `isStopping`.
    func run() {}

    /// Called (from another thread) to make a blocked poll/put return; subclasses forward to the connector task.
    func interrupt() {}

    func transition(to state: TargetState) {
        condition.lock()
        _targetState = state
        condition.broadcast()
        condition.unlock()
    }

    /// Asks the task to stop; does not wait.
    func stop() {
        condition.lock()
        let already = _stopping
        _stopping = true
        condition.broadcast()
        condition.unlock()
        if !already { interrupt() }
    }

    /// Waits until the thread finished; false on timeout (the thread is then abandoned, as Kafka Connect does).
    @discardableResult
    func awaitStop(timeoutMs: Int64) -> Bool {
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        condition.lock()
        defer { condition.unlock() }
        while !finished {
            if !condition.wait(until: deadline) { return finished }
        }
        return true
    }

    /// Blocks while paused. Returns false when the task should stop.
    func awaitUnpaused(onPause: () -> Void) -> Bool {
        condition.lock()
        if _targetState != .paused || _stopping {
            let stop = _stopping
            condition.unlock()
            return !stop
        }
        condition.unlock()
        onPause()
        statusListener.onTaskStatus(self, .paused, trace: nil)
        condition.lock()
        while _targetState == .paused && !_stopping { _ = condition.wait(until: Date().addingTimeInterval(0.5)) }
        let stop = _stopping
        condition.unlock()
        if !stop { statusListener.onTaskStatus(self, .running, trace: nil) }
        return !stop
    }

    /// Sleeps up to `ms`, waking early on stop or a state change.
    func sleep(ms: Int64) {
        condition.lock()
        if !_stopping { _ = condition.wait(until: Date().addingTimeInterval(Double(ms) / 1000)) }
        condition.unlock()
    }

    /// Formats an error as the `trace` REST shows.
    /// Known secrets are scrubbed: the trace is served by `GET /connectors/{name}/status`.
    static func trace(_ error: any Error) -> String {
        if let c = error as? ConnectError { return Secrets.scrub(c.description) }
        return Secrets.scrub("org.apache.kafka.connect.errors.ConnectException: \(error)")
    }
}
