import BlockingHTTP
import JavaCompat
import SluiceAPI

/// `SchemaRegistryClient` over the Confluent REST API, like Java's `RestService`: the URLs are tried in order and the
/// next one is used when one cannot be reached (I/O error, TLS refusal or 5xx); 4xx answers are the registry's verdict
/// and are returned as is. Basic auth from `basic.auth.user.info` (`USER_INFO`) or the URL's user info (`URL`), sent
/// the same way over http and https. `https://` URLs use `tls` (built from `schema.registry.ssl.*`), else the
/// system's CA certificates; http and https URLs may be mixed in one list.
public final class RestSchemaRegistryClient: SchemaRegistryClient {
    public static let contentType = "application/vnd.schemaregistry.v1+json"
    let urls: [String]
    let authorization: String?
    let timeoutMs: Int
    let connectTimeoutMs: Int
    let tls: TLSContext?

    public init(urls: [String], userInfo: String?, timeoutMs: Int = 30_000, connectTimeoutMs: Int? = nil, tls: TLSContext? = nil) {
        self.urls = urls.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        // basic.auth.credentials.source=URL: http(s)://user:pass@host:port
        let info = userInfo ?? urls.lazy.compactMap { HTTPEndpoint($0)?.userInfo }.first
        authorization = info.flatMap { $0.isEmpty ? nil : "Basic " + Base64.encodeToString(Array($0.utf8)) }
        self.timeoutMs = timeoutMs
        self.connectTimeoutMs = connectTimeoutMs ?? timeoutMs
        self.tls = tls
    }

    /// Sends one call; the first URL that answers wins. Returns the parsed JSON body of a 2xx answer.
    func call(_ method: String, _ path: String, body: JSONValue? = nil) throws(SchemaRegistryError) -> JSONValue {
        var headers = [("Accept", Self.contentType + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5")]
        if body != nil { headers.append(("Content-Type", Self.contentType)) }
        if let authorization { headers.append(("Authorization", authorization)) }
        var lastError = SchemaRegistryError.unreachable("No schema registry URL configured")
        for base in urls {
            let response: BlockingHTTPClient.Response
            do {
                response = try BlockingHTTPClient.send(
                    method: method, url: base + path, headers: headers, body: body.map { Array($0.compactString.utf8) },
                    timeoutMs: timeoutMs, connectTimeoutMs: connectTimeoutMs, tls: tls)
            } catch {
                lastError = .unreachable("Schema registry \(Self.redacted(base)) unreachable: \(error)")
                continue
            }
            let json = try? JSONReader.parse(response.body)
            if (200..<300).contains(response.status) { return json ?? .null }
            let code = json?["error_code"]?.int64Value.map(Int.init) ?? response.status * 100
            let message = json?["message"]?.stringValue ?? String(decoding: response.body.prefix(500), as: UTF8.self)
            let err = SchemaRegistryError(response.status, code, message)
            if response.status >= 500 { lastError = err; continue }
            throw err
        }
        throw lastError
    }

    /// The URL without its user info, for messages.
    static func redacted(_ url: String) -> String {
        HTTPEndpoint.redacted(url)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    static func body(_ schema: String, _ type: String) -> JSONValue {
        var o = JSONObject()
        o["schema"] = .string(schema)
        if type != "AVRO" { o["schemaType"] = .string(type) }
        return .object(o)
    }

    public func register(subject: String, schema: String, schemaType: String) throws -> Int {
        let r = try call("POST", "/subjects/\(Self.escape(subject))/versions?normalize=false", body: Self.body(schema, schemaType))
        guard let id = r["id"]?.int64Value else { throw SchemaRegistryError(500, 50001, "Registry answered without an id") }
        return Int(id)
    }

    public func lookup(subject: String, schema: String, schemaType: String, deleted: Bool) throws -> RegisteredSchema {
        let r = try call("POST", "/subjects/\(Self.escape(subject))?normalize=false&deleted=\(deleted)", body: Self.body(schema, schemaType))
        return try Self.registered(r, subject: subject)
    }

    public func schema(id: Int) throws -> (schema: String, schemaType: String) {
        let r = try call("GET", "/schemas/ids/\(id)?fetchMaxId=false")
        guard let s = r["schema"]?.stringValue else { throw SchemaRegistryError.schemaNotFound("Schema \(id) not found") }
        return (s, r["schemaType"]?.stringValue ?? "AVRO")
    }

    public func latest(subject: String) throws -> RegisteredSchema {
        try Self.registered(try call("GET", "/subjects/\(Self.escape(subject))/versions/latest"), subject: subject)
    }

    static func registered(_ r: JSONValue, subject: String) throws(SchemaRegistryError) -> RegisteredSchema {
        guard let id = r["id"]?.int64Value, let v = r["version"]?.int64Value, let s = r["schema"]?.stringValue else {
            throw SchemaRegistryError(500, 50001, "Malformed registry answer: \(r.compactString.prefix(200))")
        }
        return RegisteredSchema(subject: r["subject"]?.stringValue ?? subject, version: Int(v), id: Int(id),
                                schemaType: r["schemaType"]?.stringValue ?? "AVRO", schema: s)
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
