/// Something bytes are read from in chunks: a (possibly gzipped) file, or memory in tests and benchmarks.
///
/// Parsers are written against this so they stay pure and testable with byte fixtures.
public protocol ByteSource: AnyObject {
    /// Reads up to `count` bytes into `buffer`; returns 0 at end of input.
    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int
}

/// Bytes held in memory, handed out in chunks of at most `chunkSize` (small chunks exercise record boundaries).
public final class MemoryByteSource: ByteSource {
    private let data: [UInt8]
    private var position = 0
    private let chunkSize: Int

    public init(_ data: [UInt8], chunkSize: Int = 1 << 20) {
        self.data = data
        self.chunkSize = max(1, chunkSize)
    }

    public convenience init(_ text: String, chunkSize: Int = 1 << 20) { self.init(Array(text.utf8), chunkSize: chunkSize) }

    public func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        let n = min(count, chunkSize, data.count - position)
        if n <= 0 { return 0 }
        data.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
        position += n
        return n
    }
}
