import Hummingbird
import Logging
import SluiceAPI

/// Renders every error as Kafka Connect's `{"error_code":N,"message":"..."}`: our `RestError`s, Hummingbird's
/// routing errors (404/405) and anything unexpected (500, logged). Nothing escapes as a dropped connection.
struct RestErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let e = RouteTable.preflight(request) { return JSONResponses.error(e) }
        do {
            return try await next(request, context)
        } catch let e as RestError {
            return JSONResponses.error(e)
        } catch let e as HTTPError {
            let code = Int(e.status.code)
            return JSONResponses.error(RestError(code, e.body ?? "HTTP \(code) \(e.status.reasonPhrase)", routing: e.body == nil))
        } catch let e as ConnectError {
            let status = e.code == .config || e.code == .pluginNotFound ? 400 : 500
            return JSONResponses.error(RestError(status, e.message))
        } catch {
            logger.error("Unhandled REST error for \(request.method) \(request.uri.path): \(error)")
            return JSONResponses.error(RestError(500, "\(error)"))
        }
    }
}
