import Foundation
import SluiceAPI

/// One helper thread that runs one job at a time for its owner: `submit` hands it work and returns at once,
/// `result()` waits for that work's outcome.
///
/// A sink task uses it to convert (deserialize and transform) the batch it just polled while its own thread hands
/// the previous batch to `put`: the connector's write (say a JDBC sink streaming COPY data, with the database parsing
/// it on the other core) then overlaps with the JSON parsing of the next records instead of alternating with it.
/// Only one job is ever outstanding, so the owner keeps Kafka Connect's order: batch N is put before batch N+1, and
/// nothing is converted more than one batch ahead.
final class BackgroundJob<Output>: @unchecked Sendable {
    private let condition = NSCondition()
    private var job: (() throws -> Output)?
    private var outcome: Result<Output, any Error>?
    private var closed = false
    private var started = false
    private let name: String

    /// The thread's kernel name: role letter and task id (see `OSThreadName`).
    private let kernelRole: Character
    private let kernelId: String

    init(name: String, kernelRole: Character, kernelId: String) {
        self.name = name
        self.kernelRole = kernelRole
        self.kernelId = kernelId
    }

    /// Starts `work` on the helper thread (created on first use). The previous job's result must have been taken;
    /// if not, this throws (failing the owning task) rather than trapping the whole worker.
    func submit(_ work: @escaping () throws -> Output) throws {
        condition.lock()
        guard job == nil && outcome == nil else {
            condition.unlock()
            throw ConnectError(.connect, "\(name): a background job is still outstanding")
        }
        job = work
        if !started {
            started = true
            let thread = Thread { [self] in
                OSThreadName.setCurrent(role: kernelRole, id: kernelId)
                serve()
            }
            thread.name = name
            thread.start()
        }
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the submitted job and returns its output (or rethrows its error).
    func result() throws -> Output {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let r = outcome {
                outcome = nil
                return try r.get()
            }
            condition.wait()
        }
    }

    /// Whether a job was submitted and its result not yet taken.
    var isBusy: Bool {
        condition.lock()
        defer { condition.unlock() }
        return job != nil || outcome != nil
    }

    /// Ends the helper thread once its current job (if any) is done.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func serve() {
        condition.lock()
        while true {
            while job == nil && !closed { condition.wait() }
            guard let work = job else { break }
            condition.unlock()
            let r = Result { try work() }
            condition.lock()
            job = nil
            outcome = r
            condition.broadcast()
        }
        condition.unlock()
    }
}
