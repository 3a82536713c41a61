import Foundation
import SluiceAPI

/// Finds the files a task should read next: whole-name pattern match, minimum age, no foreign processing marker,
/// this task's share by name, in the configured order.
struct FileLister {
    let settings: SpoolDirSettings
    let regex: Regex<AnyRegexOutput>

    init(settings: SpoolDirSettings) throws {
        self.settings = settings
        do { regex = try Regex(settings.pattern) } catch {
            throw ConnectError.invalidConfig(SpoolDirConfig.filePattern, settings.pattern, "Not a valid regular expression: \(error)")
        }
    }

    /// Java's `String.hashCode` (stable across processes and compatible with the original's partitioner), unlike
    /// Swift's per-process seeded `Hasher`.
    static func javaHash(_ s: String) -> Int32 {
        var h: Int32 = 0
        for u in s.utf16 { h = h &* 31 &+ Int32(u) }
        return h
    }

    /// Whether file `name` belongs to task `index` of `count` (ByName).
    static func owns(_ name: String, index: Int, count: Int) -> Bool {
        count <= 1 || Int(Int64(javaHash(name)).magnitude % UInt64(count)) == index
    }

    func matches(_ name: String) -> Bool {
        !name.hasSuffix(settings.processingExtension) && (try? regex.wholeMatch(in: name)) != nil
    }

    func markerPath(_ path: String) -> String { path + settings.processingExtension }

    /// Every matching file under input.path (ignoring age, markers and partitioning), sorted.
    func allMatching() -> [InputFile] {
        var out: [InputFile] = []
        walk(settings.inputPath, relative: "", into: &out)
        return sorted(out)
    }

    /// The files this task may start now: owned by it, old enough, not flagged by a marker (unless `ownMarkers`
    /// lists it: markers this task instance created itself or recovered).
    func ready(taskIndex: Int, taskCount: Int, skip: Set<String>) -> [InputFile] {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return allMatching().filter { f in
            Self.owns(f.name, index: taskIndex, count: taskCount) && !skip.contains(f.path)
                && now - f.modifiedMs >= settings.minimumAgeMs && !FileManager.default.fileExists(atPath: markerPath(f.path))
        }
    }

    private func walk(_ dir: String, relative: String, into out: inout [InputFile]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        for name in names {
            let path = dir + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            if isDir.boolValue {
                if settings.recursive, !isExcluded(path) { walk(path, relative: rel, into: &out) }
                continue
            }
            if matches(name), let f = InputFile.lookup(path, relativePath: rel) { out.append(f) }
        }
    }

    /// Never descend into the finished or error directories when they live inside input.path.
    private func isExcluded(_ path: String) -> Bool {
        let p = (path as NSString).standardizingPath
        return [settings.errorPath, settings.finishedPath].compactMap { $0 }.contains { ($0 as NSString).standardizingPath == p }
    }

    func sorted(_ files: [InputFile]) -> [InputFile] {
        files.sorted { a, b in
            for attr in settings.sort {
                switch attr {
                case "NameAsc": if a.relativePath != b.relativePath { return a.relativePath < b.relativePath }
                case "NameDesc": if a.relativePath != b.relativePath { return a.relativePath > b.relativePath }
                case "LengthAsc": if a.size != b.size { return a.size < b.size }
                case "LengthDesc": if a.size != b.size { return a.size > b.size }
                case "LastModifiedAsc": if a.modifiedMs != b.modifiedMs { return a.modifiedMs < b.modifiedMs }
                case "LastModifiedDesc": if a.modifiedMs != b.modifiedMs { return a.modifiedMs > b.modifiedMs }
                default: break
                }
            }
            return a.relativePath < b.relativePath
        }
    }
}
