import Foundation

/// A lock for the small mutable state of connectors and tasks (their methods run on runtime threads, `stop`
/// on another one).
final class NSLockBox: @unchecked Sendable {
    private let lock = NSLock()

    @inline(__always) func run<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
