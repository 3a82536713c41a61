import NIOCore
import Synchronization

/// Requests in flight on one connection, by correlation id. Shared between the calling threads (register, time
/// out) and the event loop (complete, fail on disconnect), hence the lock.
final class KafkaPendingRequests: Sendable {
    let peer: String
    private let state = Mutex<State>(State())

    private struct State {
        var waiting: [Int32: EventLoopPromise<[UInt8]>] = [:]
        var closedError: KafkaWireError?
    }

    init(peer: String) { self.peer = peer }

    /// Registers a waiter; throws when the connection already broke.
    func register(_ id: Int32, _ promise: EventLoopPromise<[UInt8]>) throws(KafkaWireError) {
        let closed: KafkaWireError? = state.withLock { state in
            if let error = state.closedError { return error }
            state.waiting[id] = promise
            return nil
        }
        if let closed { throw closed }
    }

    /// Completes the waiter for `id`; false when none is waiting (an unknown correlation id).
    @discardableResult
    func complete(_ id: Int32, with result: Result<[UInt8], KafkaWireError>) -> Bool {
        guard let promise = state.withLock({ $0.waiting.removeValue(forKey: id) }) else { return false }
        switch result {
        case .success(let bytes): promise.succeed(bytes)
        case .failure(let error): promise.fail(error)
        }
        return true
    }

    /// Fails every waiter and refuses new ones: the connection is unusable from now on.
    func failAll(_ error: KafkaWireError) {
        let waiting = state.withLock { state in
            if state.closedError == nil { state.closedError = error }
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for promise in waiting.values { promise.fail(error) }
    }

    var isBroken: Bool { state.withLock { $0.closedError != nil } }
}
