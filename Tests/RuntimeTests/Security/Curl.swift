import Foundation
import SluiceAPI
import TestSupport

/// REST calls through the real `curl` client, as users make them (TLS, client certificates, basic auth included).
struct Curl {
    struct Reply {
        var status: Int
        var body: String
        var headers: [String: String]
        var json: JSONValue? { try? JSONReader.parse(Array(body.utf8)) }
    }

    /// Extra curl arguments for every call (`--cacert`, `--cert`, `-u`...).
    var options: [String] = []

    func call(_ method: String, _ url: String, body: String? = nil, extra: [String] = []) throws -> Reply {
        let dir = try TemporaryDirectory(prefix: "sluice-curl")
        var args = ["-sS", "-X", method, "-o", dir.file("body"), "-D", dir.file("headers"), "--max-time", "30"] + options + extra
        if let body {
            try body.write(toFile: dir.file("req"), atomically: true, encoding: .utf8)
            args += ["-H", "Content-Type: application/json", "--data-binary", "@" + dir.file("req")]
        }
        let r = try TestSupport.runProcess("/usr/bin/curl", args + [url])
        guard r.succeeded else { return Reply(status: 0, body: r.output, headers: [:]) }
        let head = (try? String(contentsOfFile: dir.file("headers"), encoding: .utf8)) ?? ""
        var status = 0
        var headers: [String: String] = [:]
        for line in head.split(separator: "\r\n") {
            if line.hasPrefix("HTTP/") { status = Int(line.split(separator: " ")[1]) ?? 0; continue }
            if let c = line.firstIndex(of: ":") {
                headers[line[..<c].lowercased()] = line[line.index(after: c)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return Reply(status: status, body: (try? String(contentsOfFile: dir.file("body"), encoding: .utf8)) ?? "", headers: headers)
    }
}
