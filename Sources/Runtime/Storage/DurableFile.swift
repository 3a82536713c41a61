import Foundation

/// Atomic, durable whole-file replacement: write a temp file, fsync it, rename over the target, fsync the directory.
///
/// A `kill -9` at any moment leaves either the old or the new content, never a torn file.
enum DurableFile {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw posixError("open \(tmp)") }
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(tmp) }
        }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                Foundation.write(fd, buf.baseAddress! + written, bytes.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw posixError("write \(tmp)")
            }
            written += n
        }
        guard fsync(fd) == 0 else { throw posixError("fsync \(tmp)") }
        guard rename(tmp, path) == 0 else { throw posixError("rename \(tmp) to \(path)") }
        ok = true
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY)
        if dfd >= 0 {
            fsync(dfd)
            close(dfd)
        }
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let d = FileManager.default.contents(atPath: path) else { return nil }
        return [UInt8](d)
    }

    static func posixError(_ what: String) -> NSError {
        NSError(domain: NSPOSIXErrorDomain, code: Int(errno), userInfo: [NSLocalizedDescriptionKey: "\(what): \(String(cString: strerror(errno)))"])
    }
}
