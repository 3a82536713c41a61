#if canImport(Glibc)
import Glibc
#endif
import SluiceAPI
import Synchronization

/// The registry's log in a local file, for workers without Kafka topics (`bootstrap.servers=none`, standalone):
/// one JSON line per record, `{"key":"…","value":"…"|null}`, appended and fsync'ed before the registry answers.
/// A torn last line (crash mid-write) is ignored at replay: its registration was never acknowledged.
public final class FileRegistryLog: RegistryLog {
    let path: String
    private let deliver = Mutex<(@Sendable (RegistryRecord) -> Void)?>(nil)

    public init(path: String) { self.path = path }

    public func start(_ deliver: @escaping @Sendable (RegistryRecord) -> Void) throws {
        self.deliver.withLock { $0 = deliver }
        for r in try readAll() { deliver(r) }
    }

    /// Appends are delivered by `append` itself once durable: nothing to wait for.
    public func sync() throws {}
    public func close() {}

    public func readAll() throws -> [RegistryRecord] {
        guard let f = fopen(path, "r") else {
            if errno == ENOENT { return [] }
            throw SchemaRegistryError.store("Cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            bytes += buf[0..<n]
        }
        var out: [RegistryRecord] = []
        for line in bytes.split(separator: 0x0A) {
            guard let j = try? JSONReader.parse(Array(line)), let key = j["key"]?.stringValue else { continue }
            out.append(RegistryRecord(key: key, value: j["value"]?.stringValue))
        }
        return out
    }

    public func append(_ records: [RegistryRecord]) throws {
        guard !records.isEmpty else { return }
        var w = JSONWriter()
        for r in records {
            w.write(.object(JSONObject([("key", .string(r.key)), ("value", r.value.map { .string($0) } ?? .null)])))
            w.raw(0x0A)
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { throw SchemaRegistryError.store("Cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { _ = Glibc.close(fd) }
        let bytes = w.bytes
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + off, bytes.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SchemaRegistryError.store("Cannot write \(path): \(String(cString: strerror(errno)))")
            }
            off += n
        }
        guard fsync(fd) == 0 else { throw SchemaRegistryError.store("Cannot sync \(path): \(String(cString: strerror(errno)))") }
        if let deliver = deliver.withLock({ $0 }) { for r in records { deliver(r) } }
    }
}
