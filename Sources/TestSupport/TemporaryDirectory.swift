import Foundation

/// A fresh directory under the system temp dir, removed when the value is deallocated: unique per test, so tests
/// running in parallel never share files.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init(prefix: String = "sluice-test") throws {
        path = try TestSupport.makeTemporaryDirectory(prefix)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// `path/name`.
    public func file(_ name: String) -> String { path + "/" + name }

    public var url: URL { URL(fileURLWithPath: path) }
}
