import Foundation
import Logging
import SluiceAPI

/// Log levels that can be changed at runtime through `/admin/loggers` (Kafka Connect's dynamic log levels).
///
/// Logger labels are namespaces (`sluice.worker`, `sluice.task.orders-0`); the most specific configured prefix
/// wins, then `root`.
public final class LogLevels: @unchecked Sendable {
    public static let shared = LogLevels()
    private let lock = NSLock()
    private var levels: [String: (Logger.Level, Int64?)] = ["root": (.info, nil)]

    public func setRoot(_ l: Logger.Level) { lock.lock(); levels["root"] = (l, nil); lock.unlock() }

    public func level(of label: String) -> Logger.Level {
        lock.lock()
        defer { lock.unlock() }
        var name = label
        while true {
            if let l = levels[name] { return l.0 }
            guard let dot = name.lastIndex(of: ".") else { break }
            name = String(name[..<dot])
        }
        return levels["root"]?.0 ?? .info
    }

    /// Sets a level and returns the affected logger names.
    public func set(_ name: String, _ l: Logger.Level) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        levels[name] = (l, now)
        if name == "root" { return levels.keys.sorted() }
        let affected = levels.keys.filter { $0 == name || $0.hasPrefix(name + ".") }
        for k in affected { levels[k] = (l, now) }
        return affected.sorted()
    }

    /// The level and last change of a logger that was set explicitly (or `root`), nil otherwise.
    public func explicit(_ name: String) -> (level: Logger.Level, modified: Int64?)? {
        lock.lock()
        defer { lock.unlock() }
        return levels[name].map { ($0.0, $0.1) }
    }

    public func all() -> [(name: String, level: Logger.Level, modified: Int64?)] {
        lock.lock()
        defer { lock.unlock() }
        return levels.sorted { $0.key < $1.key }.map { ($0.key, $0.value.0, $0.value.1) }
    }

    public static func javaName(_ l: Logger.Level) -> String {
        switch l {
        case .trace: return "TRACE"
        case .debug: return "DEBUG"
        case .info, .notice: return "INFO"
        case .warning: return "WARN"
        case .error: return "ERROR"
        case .critical: return "FATAL"
        }
    }

    public static func parse(_ s: String) -> Logger.Level? {
        switch s.uppercased() {
        case "TRACE", "ALL": return .trace
        case "DEBUG": return .debug
        case "INFO": return .info
        case "WARN", "WARNING": return .warning
        case "ERROR": return .error
        case "FATAL", "OFF": return .critical
        default: return nil
        }
    }
}

/// A log handler writing `[timestamp] LEVEL message (label) key=value` lines to stderr, honouring `LogLevels`.
public struct SluiceLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public let label: String
    public var logLevel: Logger.Level {
        get { LogLevels.shared.level(of: label) }
        set { _ = LogLevels.shared.set(label, newValue) }
    }

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    nonisolated(unsafe) private static let formatter: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()
    private static let lock = NSLock()

    public func log(event: LogEvent) {
        let meta = metadata.merging(event.metadata ?? [:]) { $1 }
        var line = "[\(SluiceLogHandler.stamp())] \(LogLevels.javaName(event.level)) \(event.message)"
        if !meta.isEmpty { line += " " + meta.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
        line += " (\(label))\n"
        line = Secrets.scrub(line)  // catches a secret any message or error description carries
        SluiceLogHandler.lock.lock()
        FileHandle.standardError.write(Data(line.utf8))
        SluiceLogHandler.lock.unlock()
    }

    static func stamp() -> String {
        lock.lock()
        defer { lock.unlock() }
        return formatter.string(from: Date())
    }
}
