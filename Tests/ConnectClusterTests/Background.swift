import Dispatch
import Synchronization

/// Runs blocking work (a JoinGroup waits for the whole group) on a GCD thread, outside the test's own thread and
/// the cooperative pool, and hands its result back.
final class Background<T: Sendable>: Sendable {
    private let result = Mutex<Result<T, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws -> T) {
        DispatchQueue.global().async { [self] in
            let outcome = Result { try body() }
            result.withLock { $0 = outcome }
            done.signal()
        }
    }

    /// Waits up to `seconds` for the result; throws the body's error or a timeout.
    func value(timeoutSeconds seconds: Int = 30) throws -> T {
        guard done.wait(timeout: .now() + .seconds(seconds)) == .success else { throw BackgroundTimeout() }
        done.signal()
        return try result.withLock { $0! }.get()
    }
}

struct BackgroundTimeout: Error {}
