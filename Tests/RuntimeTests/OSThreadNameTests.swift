import Foundation
import Testing
@testable import Runtime

/// Kernel thread names: at most 15 bytes, the role letter first and the end of the task id kept.
@Suite struct OSThreadNameTests {
    @Test func kernelNamesKeepTheRoleAndTheTaskNumber() {
        #expect(OSThreadName.kernelName(role: "T", id: "jdbc-0") == "T/jdbc-0")
        #expect(OSThreadName.kernelName(role: "C", id: "sink-insert-0") == "C/sink-insert-0")
        #expect(OSThreadName.kernelName(role: "T", id: "orders-postgres-sink-12") == "T/tgres-sink-12")
        // Multi-byte characters are never cut in half.
        let name = OSThreadName.kernelName(role: "A", id: "日本語のコネクタ-3")
        #expect(name.utf8.count <= 15 && name.hasSuffix("-3") && name.hasPrefix("A/"))
    }

    #if os(Linux)
    @Test func theKernelSeesTheName() throws {
        let seen = try withThread {
            OSThreadName.setCurrent(role: "T", id: "my-connector-7")
            return try String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
        }
        #expect(seen == "T/y-connector-7\n")
        #expect(seen.utf8.count <= 16)
    }

    /// Runs `body` on a new thread (a kernel thread of its own) and returns its result.
    func withThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<T, any Error>?
        let t = Thread {
            result = Result { try body() }
            done.signal()
        }
        t.start()
        done.wait()
        return try result!.get()
    }
    #endif
}
