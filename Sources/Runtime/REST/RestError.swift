import SluiceAPI

/// An error with an HTTP status that REST renders as Kafka Connect does: `{"error_code":N,"message":"..."}`.
public struct RestError: Error, Sendable, CustomStringConvertible {
    public let status: Int
    public let message: String
    /// JAX-RS answers routing errors (404 no resource, 405, 415) without a Content-Type; handler errors have one.
    public var routing = false
    public init(_ status: Int, _ message: String, routing: Bool = false) {
        self.status = status
        self.message = message
        self.routing = routing
    }
    public var description: String { "\(status): \(message)" }

    public static func notFound(connector: String) -> RestError { RestError(404, "Connector \(connector) not found") }
    public static func badRequest(_ m: String) -> RestError { RestError(400, m) }
    public static func conflict(_ m: String) -> RestError { RestError(409, m) }

    var body: [UInt8] {
        var w = JSONWriter()
        w.write(.object(["error_code": .int(Int64(status)), "message": .string(Secrets.scrub(message))]))
        return w.bytes
    }
}
