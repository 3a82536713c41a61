import Foundation
import SluiceAPI

/// Tails a file (or stdin) and turns each line into a record: Kafka's `FileStreamSourceTask`.
///
/// Records have a STRING value, source partition `{"filename": file}` and offset `{"position": byte position after
/// the line}`; on start the task resumes from the committed position. At the end of the file it waits for more data,
/// like `tail -f`, returning an empty batch after about a second so the runtime can commit offsets and stop it.
/// A file that does not exist yet is waited for. Positions count bytes (Kafka documents bytes; its code counts UTF-16
/// characters, which only differs for non-ASCII text).
public final class FileStreamSourceTask: SourceTask, @unchecked Sendable {
    /// How long `poll` waits at the end of the file before returning an empty batch (Kafka waits 1 s).
    static let idleWaitSeconds = 1.0
    private static let readChunk = 65_536

    private let signal = NSCondition()
    // All state below is guarded by `signal`.
    private var context: (any SourceTaskContext)?
    private var filename: String?
    private var topic = ""
    private var batchSize = FileStreamSourceConnector.defaultBatchSize
    private var fd: Int32 = -1
    private var splitter = LineSplitter(position: nil)
    private var stopped = false
    private var polling = false

    public init() {}

    public func initialize(context: any SourceTaskContext) {
        signal.withLock { self.context = context }
    }

    public func start(_ props: [String: String]) throws {
        let parsed = try FileStreamSourceConnector.configDefinition.parse(props)
        let file = parsed.string(FileStreamSourceConnector.fileConfig)
        signal.withLock {
            filename = (file?.isEmpty ?? true) ? nil : file
            topic = parsed.string(FileStreamSourceConnector.topicConfig) ?? ""
            batchSize = max(1, parsed.int(FileStreamSourceConnector.batchSizeConfig))
            stopped = false
            if filename == nil {
                fd = STDIN_FILENO  // offsets of stdin mean nothing: positions stay nil, as in Kafka
                splitter = LineSplitter(position: nil)
            }
        }
    }

    public func poll() throws -> [SourceRecord] {
        let state: (file: String?, topic: String, batch: Int, fd: Int32)? = signal.withLock {
            if stopped { return nil }
            polling = true
            return (filename, topic, batchSize, self.fd)
        }
        guard let state else { return [] }
        defer { finishPoll() }

        var fd = state.fd
        if fd < 0, let file = state.file {
            guard let opened = try open(file) else {
                idleWait()
                return []
            }
            fd = opened
        }

        var records: [SourceRecord] = []
        var sawData = false
        while records.count < state.batch {
            if let next = signal.withLock({ splitter.nextLine() }) {
                records.append(record(next.line, position: next.position, file: state.file, topic: state.topic))
                continue
            }
            let n = try readChunk(fd, isStdin: state.file == nil)
            if n == 0 { break }
            sawData = true
        }
        if records.isEmpty && !sawData { idleWait() }
        return records
    }

    public func stop() {
        signal.withLock {
            stopped = true
            if !polling { closeLocked() }
            signal.broadcast()
        }
    }

    // MARK: - Private

    private func record(_ line: String, position: Int64?, file: String?, topic: String) -> SourceRecord {
        let name: JSONValue = file.map { .string($0) } ?? .null
        let pos: JSONValue = position.map { .int($0) } ?? .null
        return SourceRecord(
            sourcePartition: [FileStreamSourceConnector.filenameField: name],
            sourceOffset: [FileStreamSourceConnector.positionField: pos],
            topic: topic, valueSchema: .string, value: .string(line),
            timestamp: Int64(Date().timeIntervalSince1970 * 1000))
    }

    /// Opens the file and seeks to the committed position; nil when the file does not exist (yet).
    private func open(_ file: String) throws -> Int32? {
        let fd = Foundation.open(file, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let err = errno
            if err == ENOENT {
                warn("Couldn't find file \(file) for FileStreamSourceTask, sleeping to wait for it to be created")
                return nil
            }
            throw ConnectError(.external, "Error while trying to open file \(file): \(String(cString: strerror(err)))")
        }
        var position: Int64 = 0
        let reader = signal.withLock { context?.offsetStorageReader }
        if let offset = reader?.offset([FileStreamSourceConnector.filenameField: .string(file)]),
           let stored = offset[FileStreamSourceConnector.positionField], !stored.isNull {
            // Kafka insists on a Long; an integral JSON double (some offset stores write 4.0) is the same number.
            guard let p = stored.int64Value, p >= 0 else {
                Foundation.close(fd)
                throw ConnectError(.connect, "Offset position is the incorrect type")
            }
            position = p
            var st = stat()
            if fstat(fd, &st) == 0, Int64(st.st_size) < p {
                warn("Committed position \(p) is past the end of \(file) (\(st.st_size) bytes); waiting for the file to grow")
            }
            if lseek(fd, off_t(p), SEEK_SET) < 0 {
                let err = errno
                Foundation.close(fd)
                throw ConnectError(.external, "Error while trying to seek to previous offset \(p) in file \(file): \(String(cString: strerror(err)))")
            }
            debug("Resuming \(file) at byte \(p)")
        }
        let keep: Bool = signal.withLock {
            if stopped { return false }
            self.fd = fd
            splitter = LineSplitter(position: position)
            return true
        }
        if !keep {
            Foundation.close(fd)
            return nil
        }
        return fd
    }

    /// Reads what is available into the splitter; 0 at the end of the file (or when stdin has nothing for now).
    private func readChunk(_ fd: Int32, isStdin: Bool) throws -> Int {
        if isStdin {
            // stdin may block forever: only read when poll(2) says there is something.
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = Foundation.poll(&pfd, 1, 0)
            if ready <= 0 || (pfd.revents & Int16(POLLIN | POLLHUP)) == 0 { return 0 }
        }
        var buffer = [UInt8](repeating: 0, count: Self.readChunk)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, Self.readChunk) }
            if n > 0 {
                signal.withLock { splitter.append(buffer[0..<n]) }
                return n
            }
            if n == 0 { return 0 }
            let err = errno
            if err == EINTR { continue }
            if err == EAGAIN { return 0 }
            throw ConnectError(.external, "Error reading \(isStdin ? "stdin" : "file"): \(String(cString: strerror(err)))")
        }
    }

    /// Waits up to a second, waking early when `stop` is called.
    private func idleWait() {
        signal.withLock {
            let deadline = Date(timeIntervalSinceNow: Self.idleWaitSeconds)
            while !stopped {
                if !signal.wait(until: deadline) { break }
            }
        }
    }

    private func finishPoll() {
        signal.withLock {
            polling = false
            if stopped { closeLocked() }
        }
    }

    private func closeLocked() {
        if fd >= 0 && fd != STDIN_FILENO { Foundation.close(fd) }
        fd = -1
    }

    // The logger is reached through the context so this module needs no direct swift-log dependency.
    private func warn(_ message: String) {
        signal.withLock { context }?.logger.warning("\(message)")
    }

    private func debug(_ message: String) {
        signal.withLock { context }?.logger.debug("\(message)")
    }
}
