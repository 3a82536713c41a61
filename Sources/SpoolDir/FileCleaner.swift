import Foundation
import JavaCompat
import Logging
import SluiceAPI

/// Applies `cleanup.policy` to finished files and moves bad ones to `error.path` with a `<file>.error` explanation.
///
/// Destinations keep the file's path relative to `input.path` when `cleanup.policy.maintain.relative.path` is set
/// (computed from the listing, not by string surgery on absolute paths, which is how the original got it wrong);
/// an existing file at the destination is never overwritten: the new one gets a timestamp suffix.
struct FileCleaner: Sendable {
    let settings: SpoolDirSettings
    let logger: Logger

    private var fm: FileManager { FileManager.default }

    func finished(_ file: InputFile) throws {
        switch settings.cleanup {
        case .none: return
        case .delete:
            do { try fm.removeItem(atPath: file.path) } catch {
                throw ConnectError(.external, "Cannot delete finished file '\(file.path)': \(error.localizedDescription)")
            }
            logger.info("Deleted finished file \(file.path)")
        case .move, .moveByDate:
            var dir = settings.finishedPath ?? settings.errorPath
            // As the original: a subdirectory named after the file's modification date (here in UTC).
            if settings.cleanup == .moveByDate { dir += "/" + Self.day(epochMs: file.modifiedMs) }
            let dest = try move(file, into: dir)
            logger.info("Moved finished file \(file.path) to \(dest)")
        }
    }

    /// Moves a file that could not be processed to error.path and writes why next to it.
    func failed(_ file: InputFile, reason: String) {
        do {
            let dest = try move(file, into: settings.errorPath)
            let text = "File: \(file.path)\nFailed at: \(ISO8601DateFormatter().string(from: Date()))\nReason: \(reason)\n"
            try Data(text.utf8).write(to: URL(fileURLWithPath: dest + ".error"))
            logger.error("Moved \(file.path) to \(dest): \(reason)")
        } catch {
            logger.error("Could not move bad file \(file.path) to \(settings.errorPath): \(error)")
        }
    }

    private func move(_ file: InputFile, into dir: String) throws -> String {
        let rel = settings.maintainRelativePath ? file.relativePath : file.name
        var dest = dir + "/" + rel
        do {
            try fm.createDirectory(atPath: (dest as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if fm.fileExists(atPath: dest) { dest += "." + String(Int64(Date().timeIntervalSince1970 * 1000)) }
            try fm.moveItem(atPath: file.path, toPath: dest)
        } catch {
            throw ConnectError(.external, "Cannot move '\(file.path)' to '\(dest)': \(error.localizedDescription)")
        }
        return dest
    }

    /// `yyyy-MM-dd` of an epoch-millisecond instant in UTC.
    static func day(epochMs: Int64) -> String {
        let c = CivilDateTime(epochMillis: epochMs)
        let (y, m, d) = (c.year, c.month, c.day)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))"
    }
}
