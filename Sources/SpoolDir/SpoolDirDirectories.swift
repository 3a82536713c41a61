import Foundation
import SluiceAPI

/// Checks (and creates where that is safe) the directories a SpoolDir connector works in, reporting problems
/// against the config key that names the directory.
enum SpoolDirDirectories {
    /// Problems per key: input.path must be an existing, readable, writable directory; error.path and
    /// finished.path must be writable directories or creatable.
    static func problems(_ props: [String: String], format: SpoolDirFormat) -> [(key: String, message: String)] {
        var out: [(key: String, message: String)] = []
        let fm = FileManager.default
        if let input = props[SpoolDirConfig.inputPath], !input.isEmpty {
            var isDir: ObjCBool = false
            if !fm.fileExists(atPath: input, isDirectory: &isDir) {
                out.append((SpoolDirConfig.inputPath, "Directory '\(input)' does not exist."))
            } else if !isDir.boolValue {
                out.append((SpoolDirConfig.inputPath, "'\(input)' is not a directory."))
            } else if !fm.isReadableFile(atPath: input) || !fm.isWritableFile(atPath: input) {
                out.append((SpoolDirConfig.inputPath, "Directory '\(input)' must be readable and writable (processing markers are created there)."))
            }
        }
        let policy = (props[SpoolDirConfig.cleanupPolicy] ?? "MOVE").uppercased()
        var keys = [SpoolDirConfig.errorPath]
        if policy == "MOVE" || policy == "MOVEBYDATE" { keys.append(SpoolDirConfig.finishedPath) }
        for key in keys {
            guard let dir = props[key], !dir.isEmpty else { continue }
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: dir, isDirectory: &isDir) {
                if !isDir.boolValue { out.append((key, "'\(dir)' is not a directory.")) }
                else if !fm.isWritableFile(atPath: dir) { out.append((key, "Directory '\(dir)' is not writable.")) }
            } else {
                var parent = (dir as NSString).deletingLastPathComponent
                while !parent.isEmpty, parent != "/", !fm.fileExists(atPath: parent) { parent = (parent as NSString).deletingLastPathComponent }
                if parent.isEmpty { parent = "." }
                var parentIsDir: ObjCBool = false
                if !fm.fileExists(atPath: parent, isDirectory: &parentIsDir) || !parentIsDir.boolValue || !fm.isWritableFile(atPath: parent) {
                    out.append((key, "Directory '\(dir)' does not exist and cannot be created ('\(parent)' is not a writable directory)."))
                }
            }
        }
        return out
    }

    /// Creates error.path / finished.path when missing; throws a config error naming the key on failure.
    static func prepare(_ s: SpoolDirSettings) throws {
        var props = [SpoolDirConfig.inputPath: s.inputPath, SpoolDirConfig.errorPath: s.errorPath, SpoolDirConfig.cleanupPolicy: s.cleanup.rawValue]
        if let f = s.finishedPath { props[SpoolDirConfig.finishedPath] = f }
        if let p = problems(props, format: s.format).first { throw ConnectError(.config, "Invalid value for configuration \(p.key): \(p.message)") }
        for (key, dir) in [(SpoolDirConfig.errorPath, s.errorPath), (SpoolDirConfig.finishedPath, s.finishedPath ?? "")] where !dir.isEmpty {
            if (key == SpoolDirConfig.finishedPath && !(s.cleanup == .move || s.cleanup == .moveByDate)) { continue }
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw ConnectError(.config, "Invalid value for configuration \(key): cannot create directory '\(dir)': \(error.localizedDescription)")
            }
        }
    }
}
