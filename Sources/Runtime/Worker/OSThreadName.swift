#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names the calling thread for the operating system, so `top -H`, `ps -L`, `perf` and gdb show which task a busy
/// thread belongs to.
///
/// Foundation's `Thread.name` does not reach the kernel on Linux (task threads showed as `-qos.overcommit`), and
/// Linux keeps at most 15 bytes. So the kernel name is a role letter and the end of the task id, where the
/// connector name's tail and the task number are: `T/sink-insert-0` (task thread), `C/sink-insert-0` (a sink
/// task's converting thread), `A/orders-src-0` (a source task's acknowledgement thread).
enum OSThreadName {
    static let maxBytes = 15

    /// The kernel name for `role` and `id`: `"<role>/<id>"`, keeping the end of `id` when it is too long.
    static func kernelName(role: Character, id: String) -> String {
        let budget = maxBytes - 2
        var tail = Substring(id)
        while tail.utf8.count > budget { tail = tail.dropFirst() }
        return "\(role)/\(tail)"
    }

    /// Sets the calling thread's kernel name (call it from the thread itself). On Linux this writes
    /// `/proc/thread-self/comm`, which is what `pthread_setname_np` does too (Swift's Glibc module does not export
    /// that GNU function). Failures are ignored: the name is a convenience.
    static func setCurrent(role: Character, id: String) {
        let name = kernelName(role: role, id: id)
        #if os(Linux)
        let fd = open("/proc/thread-self/comm", O_WRONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var bytes = Array(name.utf8)
        _ = write(fd, &bytes, bytes.count)
        #elseif canImport(Darwin)
        _ = pthread_setname_np(name)
        #endif
    }
}
