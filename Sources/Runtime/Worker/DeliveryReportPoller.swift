import Foundation

/// A dedicated thread that serves a source task's Kafka delivery reports and periodic offset commits.
///
/// Why: the task thread spends most of its time inside `SourceTask.poll`, which may block (an idle file directory,
/// a replication stream waiting for WAL). If acknowledgements were served only between polls, records Kafka already
/// acknowledged would wait up to a poll interval before `commitRecord`, the offset commit and `SourceTask.commit`
/// (a CDC slot flush) — and a source that produces nothing more would never see its last batch committed.
/// `serve` blocks up to its timeout and returns as soon as reports arrive, so acknowledgements are handled within
/// milliseconds; `tick` runs after each wake-up (at least every `intervalMs`) to commit offsets when due.
final class DeliveryReportPoller: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopping = false
    private var finished = false
    private var started = false
    private let name: String
    private let intervalMs: Int
    private let serve: @Sendable (_ timeoutMs: Int) -> Void
    private let tick: @Sendable () -> Void

    init(name: String, intervalMs: Int = 50, serve: @escaping @Sendable (_ timeoutMs: Int) -> Void, tick: @escaping @Sendable () -> Void) {
        self.name = name
        self.intervalMs = intervalMs
        self.serve = serve
        self.tick = tick
    }

    private var isStopping: Bool { condition.lock(); defer { condition.unlock() }; return stopping }

    func start() {
        condition.lock()
        started = true
        condition.unlock()
        let t = Thread { [self] in
            while !isStopping {
                serve(intervalMs)
                if isStopping { break }
                tick()
            }
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        t.name = name
        t.stackSize = 1 << 20
        t.start()
    }

    /// Stops the thread and waits until it returned (at most one `serve` timeout plus one `tick`), so the caller may
    /// then flush and close the producer alone.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        guard started else { return }
        while !finished { condition.wait() }
    }
}
