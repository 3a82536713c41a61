import Hummingbird
import NIOCore
import SluiceAPI

/// JSON in and out for REST handlers, using Sluice's own JSON reader/writer so output bytes match Kafka's.
enum JSONResponses {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var w = JSONWriter(capacity: 512)
        w.write(value)
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: w.bytes)))
    }

    static func empty(_ status: HTTPResponse.Status) -> Response {
        Response(status: status)
    }

    static func error(_ e: RestError) -> Response {
        Response(status: HTTPResponse.Status(code: e.status), headers: e.routing ? [:] : [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: e.body)))
    }

    /// Reads and parses a JSON request body; a malformed body is a 400 naming the problem (Kafka: 400 or 500).
    static func body(_ request: Request, limit: Int) async throws -> JSONValue {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw RestError(413, "Request body is larger than \(limit) bytes")
        }
        let bytes = Array(buffer.readableBytesView)
        // Kafka answers 500 for an empty or malformed body (Jackson's exception); scripts see the 5xx class, so it stays.
        if bytes.isEmpty { throw RestError(500, "Request body is empty; expected JSON") }
        do {
            return try JSONReader.parse(bytes)
        } catch {
            throw RestError(500, "Cannot deserialize the request body as JSON: \(error)")
        }
    }

    /// The keys of a JSON config object in the order given (null values dropped, as `configMap` drops them).
    static func configOrder(_ v: JSONValue?) -> [String] {
        (v?.objectValue ?? JSONObject()).filter { !$0.value.isNull }.map(\.key)
    }

    /// A JSON object of config values; numbers and booleans are accepted as their text (connector JSON mixes them).
    static func configMap(_ v: JSONValue?, what: String) throws -> [String: String] {
        guard let o = v?.objectValue else { throw RestError.badRequest("\(what) must be a JSON object of string keys and values") }
        var out: [String: String] = [:]
        for m in o {
            switch m.value {
            case .null: continue
            case .array, .object: throw RestError.badRequest("Value of \(m.key) in \(what) must be a string, number or boolean")
            default: out[m.key] = m.value.configString
            }
        }
        return out
    }
}
