/// A Schema Registry error as the REST API reports it: HTTP status + Confluent `error_code` + message
/// (`{"error_code":40401,"message":"Subject 't-value' not found."}`). Status 0 means the registry could not be reached.
public struct SchemaRegistryError: Error, Sendable, CustomStringConvertible, Equatable {
    public var status: Int
    public var code: Int
    public var message: String

    public init(_ status: Int, _ code: Int, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(message); error code: \(code)" }

    /// Unreachable, timed out, or a server-side failure (5xx): retrying later may succeed.
    public var isRetriable: Bool { status == 0 || status >= 500 }

    public static func subjectNotFound(_ s: String) -> Self { .init(404, 40401, "Subject '\(s)' not found.") }
    public static func versionNotFound(_ v: Int) -> Self { .init(404, 40402, "Version \(v) not found.") }
    public static func schemaNotFound(_ what: String = "Schema not found") -> Self { .init(404, 40403, what) }
    public static func subjectSoftDeleted(_ s: String) -> Self {
        .init(404, 40404, "Subject '\(s)' was soft deleted.Set permanent=true to delete permanently")
    }
    public static func subjectNotSoftDeleted(_ s: String) -> Self {
        .init(404, 40405, "Subject '\(s)' was not deleted first before being permanently deleted")
    }
    public static func versionSoftDeleted(_ s: String, _ v: Int) -> Self {
        .init(404, 40406, "Subject '\(s)' Version \(v) was soft deleted.Set permanent=true to delete permanently")
    }
    public static func versionNotSoftDeleted(_ s: String, _ v: Int) -> Self {
        .init(404, 40407, "Subject '\(s)' Version \(v) was not deleted first before being permanently deleted")
    }
    public static func subjectLevelNotConfigured(_ s: String) -> Self {
        .init(404, 40408, "Subject '\(s)' does not have subject-level compatibility configured")
    }
    public static func subjectModeNotConfigured(_ s: String) -> Self {
        .init(404, 40409, "Subject '\(s)' does not have subject-level mode configured")
    }
    public static func incompatible(_ message: String) -> Self { .init(409, 409, message) }
    public static func invalidSchema(_ message: String) -> Self { .init(422, 42201, message) }
    public static func invalidVersion(_ v: String) -> Self {
        .init(422, 42202, "The specified version '\(v)' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"")
    }
    public static func invalidCompatibility(_ l: String) -> Self {
        .init(422, 42203, "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive")
    }
    public static func invalidMode(_ m: String) -> Self { .init(422, 42204, "Invalid mode. Valid values are READWRITE, READONLY, READONLY_OVERRIDE, IMPORT") }
    public static func notPermitted(_ message: String) -> Self { .init(422, 42205, message) }
    public static func readOnly(_ subject: String?) -> Self {
        notPermitted(subject.map { "Subject \($0) is in read-only mode" } ?? "The registry is in read-only mode")
    }
    public static func referenceExists(_ subject: String, _ version: Int) -> Self {
        .init(422, 42206, "One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=\(subject),version=\(version)}.")
    }
    public static func idDoesNotMatch(_ existing: Int, _ given: Int) -> Self {
        .init(422, 42207, "Schema already registered with id \(existing) instead of input id \(given)")
    }
    public static func store(_ message: String) -> Self { .init(500, 50001, "Error while storing the schema: \(message)") }
    public static func unreachable(_ message: String) -> Self { .init(0, 50002, message) }
}
