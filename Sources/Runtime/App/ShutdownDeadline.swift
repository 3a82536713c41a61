import Dispatch
import Foundation
import Logging
import SluiceAPI

/// Bounds how long a worker may take to stop after SIGTERM or SIGINT.
///
/// Graceful shutdown stops the REST server, then every task (each within `task.shutdown.graceful.timeout.ms`), then
/// the Kafka clients. Any of these can wait on something that never answers — a broker that is gone, a database
/// lock — and a worker that never exits blocks the supervisor, deployment or test that waits for it. Exiting anyway
/// is safe: offsets are committed only after the destination acknowledged, so whatever was in flight is replayed on
/// the next start, exactly as after `kill -9`. A second signal exits at once, as an impatient operator expects.
public final class ShutdownDeadline: @unchecked Sendable {
    private let limit: Duration
    private let logger: Logger
    private let queue = DispatchQueue(label: "sluice.shutdown-deadline")
    private var sources: [any DispatchSourceSignal] = []
    /// Only touched on `queue`.
    private var signalled = false

    /// Watches SIGTERM and SIGINT alongside the service group's own handling of them.
    public init(limit: Duration, logger: Logger) {
        self.limit = limit
        self.logger = logger
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)  // delivered to dispatch sources only, as ServiceLifecycle does
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [self] in received(sig) }
            source.resume()
            sources.append(source)
        }
    }

    /// The limit for a worker: its tasks' graceful stop time plus a minute for the REST server and Kafka clients.
    public static func limit(taskShutdownTimeoutMs: Int64) -> Duration {
        .milliseconds(taskShutdownTimeoutMs) + .seconds(60)
    }

    private func received(_ sig: Int32) {
        let name = sig == SIGINT ? "SIGINT" : "SIGTERM"
        if signalled {
            logger.error("\(name) again during shutdown: exiting now. Records not yet committed are read again on the next start.")
            Self.exitNow()
        }
        signalled = true
        queue.asyncAfter(deadline: .now() + limit.inSeconds) { [logger, limit] in
            logger.error("Shutdown did not finish within \(limit); exiting anyway. Records not yet committed are read again on the next start.")
            Self.exitNow()
        }
    }

    /// `_exit`, not `exit`: what hangs may be an exit handler or a thread `exit` would wait on.
    private static func exitNow() -> Never {
        fflush(nil)
        _exit(1)
    }
}
