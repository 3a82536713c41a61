import Foundation
import SluiceAPI

/// A candidate input file as listed: where it is, what it is called relative to `input.path`, and the size and
/// modification time that tell an old file from a new one reusing its name.
struct InputFile: Sendable, Hashable {
    let path: String
    /// Path relative to `input.path` (`sub/dir/a.csv`), used when moving with relative paths kept.
    let relativePath: String
    let name: String
    let size: Int64
    /// Modification time in epoch milliseconds.
    let modifiedMs: Int64

    var nameWithoutExtension: String {
        var n = name
        if n.hasSuffix(".gz") { n.removeLast(3) }
        guard let dot = n.lastIndex(of: "."), dot != n.startIndex else { return n }
        return String(n[..<dot])
    }

    var parentDirName: String { (path as NSString).deletingLastPathComponent.split(separator: "/").last.map(String.init) ?? "/" }

    /// The offset partition, as the original: the file name.
    var partition: [String: JSONValue] { ["fileName": .string(name)] }

    static func lookup(_ path: String, relativePath: String) -> InputFile? {
        var st = Foundation.stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if os(Linux)
        let ms = Int64(st.st_mtim.tv_sec) * 1000 + Int64(st.st_mtim.tv_nsec) / 1_000_000
        #else
        let ms = Int64(st.st_mtimespec.tv_sec) * 1000 + Int64(st.st_mtimespec.tv_nsec) / 1_000_000
        #endif
        return InputFile(path: path, relativePath: relativePath, name: (relativePath as NSString).lastPathComponent, size: Int64(st.st_size), modifiedMs: ms)
    }
}
