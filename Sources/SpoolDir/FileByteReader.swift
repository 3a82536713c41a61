import CZlib
import SluiceAPI

/// Reads a file in chunks through zlib's `gzread`, which inflates `.gz` files and passes plain files through
/// unchanged, so every reader gets transparent gzip support and nothing ever loads a whole file into memory.
///
/// Owns its `gzFile` handle; one reader is used by one thread at a time.
final class FileByteReader: ByteSource {
    private let handle: gzFile
    let path: String

    private init(handle: gzFile, path: String) {
        self.handle = handle
        self.path = path
    }

    /// Opens `path` for reading; throws a `ConnectError` naming the file when it cannot be opened.
    static func open(_ path: String, bufferSize: Int = 128 * 1024) throws -> FileByteReader {
        guard let h = gzopen(path, "rb") else {
            throw ConnectError(.external, "Cannot open input file '\(path)' for reading (missing or no permission)")
        }
        gzbuffer(h, UInt32(max(8192, min(bufferSize, 16 * 1024 * 1024))))
        return FileByteReader(handle: h, path: path)
    }

    deinit { gzclose(handle) }

    /// Reads up to `count` bytes into `buffer` at `offset`; returns 0 at end of file.
    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        let n = gzread(handle, buffer, UInt32(min(count, Int(Int32.max))))
        if n < 0 {
            var errnum: Int32 = 0
            let msg = gzerror(handle, &errnum).map { String(cString: $0) } ?? "unknown error"
            throw ConnectError(.external, "Cannot read input file '\(path)': \(msg)")
        }
        return Int(n)
    }
}
