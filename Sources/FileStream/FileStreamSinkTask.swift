import Foundation
import JavaCompat
import SluiceAPI

/// Appends each record's value and a newline to a file (or stdout): Kafka's `FileStreamSinkTask`.
///
/// Lines are buffered by `put` and written, then fsynced, by `flush`, which the runtime calls before committing
/// consumer offsets: a committed offset therefore never points past a line that is not on disk.
public final class FileStreamSinkTask: SinkTask, @unchecked Sendable {
    /// Write the buffer out early once it is this large, to bound memory between flushes.
    private static let writeThreshold = 1 << 20

    private let lock = NSLockBox()
    // Guarded by `lock`.
    private var context: (any SinkTaskContext)?
    private var filename: String?
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []

    public init() {}

    public func initialize(context: any SinkTaskContext) {
        lock.run { self.context = context }
    }

    public func start(_ props: [String: String]) throws {
        let parsed = try FileStreamSinkConnector.configDefinition.parse(props)
        let file = parsed.string(FileStreamSinkConnector.fileConfig)
        try lock.run {
            if let file, !file.isEmpty {
                let fd = Foundation.open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
                if fd < 0 {
                    let err = String(cString: strerror(errno))
                    throw ConnectError(.connect, "Couldn't find or create file '\(file)' for FileStreamSinkTask: \(err)")
                }
                self.filename = file
                self.fd = fd
            } else {
                self.filename = nil
                self.fd = STDOUT_FILENO
            }
            buffer.removeAll(keepingCapacity: true)
        }
    }

    public func put(_ records: [SinkRecord]) throws {
        try lock.run {
            guard fd >= 0 else { throw ConnectError(.connect, "FileStreamSinkTask is not started") }
            for r in records {
                buffer.append(contentsOf: JavaText.toString(r.value, schema: r.valueSchema).utf8)
                buffer.append(0x0A)
            }
            // stdout is for watching: show lines as they come, as System.out does.
            if filename == nil || buffer.count >= Self.writeThreshold { try writeBufferLocked() }
        }
    }

    public func flush(_ currentOffsets: [TopicPartition: Int64]) throws {
        try lock.run {
            guard fd >= 0 else { return }
            try writeBufferLocked()
            if filename != nil && fsync(fd) != 0 {
                throw ConnectError(.external, "Could not fsync \(filename ?? ""): \(String(cString: strerror(errno)))")
            }
        }
    }

    public func stop() {
        lock.run {
            guard fd >= 0 else { return }
            do { try writeBufferLocked() } catch {
                context?.logger.error("FileStreamSinkTask lost buffered lines while stopping: \(error)")
            }
            if filename != nil {
                _ = fsync(fd)
                Foundation.close(fd)
            }
            fd = -1
        }
    }

    private func writeBufferLocked() throws {
        var done = 0
        let total = buffer.count
        while done < total {
            let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + done, total - done) }
            if n < 0 {
                let err = errno
                if err == EINTR { continue }
                buffer.removeSubrange(0..<done)
                throw ConnectError(.external, "Could not write to \(filename ?? "stdout"): \(String(cString: strerror(err)))")
            }
            done += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
