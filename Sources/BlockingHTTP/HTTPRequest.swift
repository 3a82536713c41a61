/// A request as the client sends it: the body is already encoded. `Host` and `Content-Length` are added by
/// `HTTPConnection`.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The request target: path and query, e.g. `/subjects/t-value/versions?normalize=false`.
    public var path: String
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(method: String, path: String, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}
