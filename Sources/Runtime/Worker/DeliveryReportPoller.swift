import Foundation

/// A dedicated thread that serves a source task's Kafka delivery reports and periodic offset commits whenever the
/// task thread does not.
///
/// Why: the task thread spends much of its time inside `SourceTask.poll`, which may block (an idle file directory,
/// a replication stream waiting for WAL). If acknowledgements were served only between polls, records Kafka already
/// acknowledged would wait up to a poll interval before `commitRecord`, the offset commit and `SourceTask.commit`
/// (a CDC slot flush) — and a source that produces nothing more would never see its last batch committed.
/// Every `intervalMs` this thread calls `serve` (which polls the producer only when the task thread has not served
/// reports recently: under load the task thread keeps serving its own reports, so records are freed on the thread
/// that allocated them and the two threads do not contend) and then `tick` (the offset commit when due).
final class DeliveryReportPoller: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopping = false
    private var finished = false
    private var started = false
    private let name: String
    private let intervalMs: Int
    private let serve: @Sendable () -> Void
    private let tick: @Sendable () -> Void

    /// The task id for the thread's kernel name (see `OSThreadName`).
    private let kernelId: String

    init(name: String, kernelId: String, intervalMs: Int = 10, serve: @escaping @Sendable () -> Void, tick: @escaping @Sendable () -> Void) {
        self.name = name
        self.kernelId = kernelId
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
            OSThreadName.setCurrent(role: "A", id: kernelId)
            while true {
                condition.lock()
                if !stopping { _ = condition.wait(until: Date().addingTimeInterval(Double(intervalMs) / 1000)) }
                let stop = stopping
                condition.unlock()
                if stop { break }
                serve()
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

    /// Stops the thread and waits until it returned (at most one `serve` plus one `tick`), so the caller may then
    /// flush and close the producer alone.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        condition.broadcast()
        guard started else { return }
        while !finished { condition.wait() }
    }
}
