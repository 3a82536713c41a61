import SluiceAPI

/// Reads Elasticsearch error answers (`{"error":{"type":…,"reason":…},"status":…}`) into one line for logs and errors.
enum ElasticsearchErrors {
    /// `type: reason` of an error body, or the start of the body when it is not an Elasticsearch error.
    static func reason(_ body: [UInt8]) -> String {
        guard let v = try? JSONReader.parse(body) else { return String(decoding: body.prefix(300), as: UTF8.self) }
        if let e = v["error"] { return describe(e) }
        return String(decoding: body.prefix(300), as: UTF8.self)
    }

    /// The error object of a bulk item or an answer: `type: reason` (plus the cause's reason when there is one).
    static func describe(_ error: JSONValue) -> String {
        if let s = error.stringValue { return s }
        let type = error["type"]?.stringValue ?? "error"
        var text = "\(type): \(error["reason"]?.stringValue ?? "")"
        if let cause = error["caused_by"], let r = cause["reason"]?.stringValue {
            text += " (caused by \(cause["type"]?.stringValue ?? "error"): \(r))"
        }
        return text
    }

    /// The error `type` of an answer body, if it is an Elasticsearch error.
    static func type(_ body: [UInt8]) -> String? {
        (try? JSONReader.parse(body))?["error"]?["type"]?.stringValue
    }

    /// Failures that mean the document itself is bad (`behavior.on.malformed.documents` applies).
    static let malformedTypes = [
        "mapper_parsing_exception", "strict_dynamic_mapping_exception", "illegal_argument_exception",
        "action_request_validation_exception", "document_parsing_exception",
    ]

    static func isMalformed(_ message: String) -> Bool { malformedTypes.contains { message.contains($0) } }
}
