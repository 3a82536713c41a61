import Hummingbird
import NIOCore

/// The web console under `/ui/`: static files compiled into the binary (`ConsoleAssets`, generated from `console/`
/// by `scripts/embed-console.sh`), so every worker serves it with nothing installed beside the executable.
///
/// `/` stays Kafka Connect's JSON; the console only adds paths Kafka does not have. The page calls the REST API with
/// relative URLs, so it works behind whatever listener (HTTP/HTTPS) and authentication the REST server has.
struct ConsoleRoutes: Sendable {
    /// Only the worker itself: scripts and styles from `/ui/`, fetches to the REST API, no inline code, no framing.
    static var contentSecurityPolicy: String {
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    }

    /// One embedded file, its bytes and a validator computed once.
    struct Asset: Sendable {
        let contentType: String
        let bytes: [UInt8]
        let etag: String
    }

    static let assets: [String: Asset] = {
        var out: [String: Asset] = [:]
        for f in ConsoleAssets.files {
            let bytes = Array(f.body.utf8)
            out[f.path] = Asset(contentType: f.contentType, bytes: bytes, etag: "\"\(fnv1a(bytes))\"")
        }
        return out
    }()

    func register<Context: RequestContext>(on router: Router<Context>) {
        // Hummingbird matches `/ui` and `/ui/` alike; relative URLs in the page need the slash, so redirect to it.
        router.get("ui") { req, _ in
            if req.uri.path.hasSuffix("/") { return Self.serve("index.html", req) }
            return Response(status: .movedPermanently, headers: [.location: "/ui/", .cacheControl: "no-cache"])
        }
        router.get("ui/:file") { req, ctx in Self.serve(ctx.parameters.get("file") ?? "", req) }
    }

    static func serve(_ name: String, _ req: Request) -> Response {
        guard let a = assets[name] else {
            return JSONResponses.error(RestError(404, "No console file \(name)"))
        }
        // `no-cache` = revalidate every time: an upgraded worker serves new files under the same names at once.
        var headers: HTTPFields = [
            .contentType: a.contentType,
            .cacheControl: "no-cache",
            .eTag: a.etag,
            .contentSecurityPolicy: contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
        ]
        // HTTPTypes has no constant for it; Hummingbird exports HTTPFields, whose Element is HTTPField.
        if let referrer = HTTPFields.Element.Name("Referrer-Policy") { headers[referrer] = "no-referrer" }
        if req.headers[.ifNoneMatch] == a.etag {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: a.bytes)))
    }

    /// FNV-1a 64 of the bytes in hex: a stable validator without pulling in a crypto library.
    static func fnv1a(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return String(h, radix: 16)
    }
}
