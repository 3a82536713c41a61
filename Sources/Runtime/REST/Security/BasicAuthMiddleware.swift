import Hummingbird
import NIOCore

/// Answers 401 to REST requests without valid basic credentials, as Kafka's `JaasBasicAuthFilter` does (same body);
/// Sluice adds `WWW-Authenticate` so browsers (the web console) prompt for credentials.
///
/// Like Kafka, `POST /connectors/{name}/tasks` (the internal task-config request between workers) is not checked.
/// The caller's `Authorization` header is kept in `ForwardedCredentials` while the request runs, so a request that
/// another worker must serve is forwarded with the same credentials.
struct BasicAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: BasicAuthenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let header = request.headers[.authorization]
        guard Self.isInternal(request) || authenticator.authenticate(header) else {
            return Response(
                status: .unauthorized,
                headers: [.contentType: "application/json", .wwwAuthenticate: "Basic realm=\"\(BasicAuthenticator.loginContext)\""],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "User cannot access the resource.")))
        }
        return try await ForwardedCredentials.$authorization.withValue(header) { try await next(request, context) }
    }

    static func isInternal(_ request: Request) -> Bool {
        guard request.method == .post else { return false }
        let segments = request.uri.path.split(separator: "/")
        return segments.count == 3 && segments[0] == "connectors" && segments[2] == "tasks"
    }
}

/// The `Authorization` header of the REST request being served, for forwarding to another worker.
enum ForwardedCredentials {
    @TaskLocal static var authorization: String?
}
