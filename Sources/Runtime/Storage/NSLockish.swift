import Foundation

/// A tiny lock wrapper for classes whose state is not `Sendable` enough for `Mutex`.
final class NSLockish: @unchecked Sendable {
    private let lock = NSLock()
    @inline(__always) func run<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
