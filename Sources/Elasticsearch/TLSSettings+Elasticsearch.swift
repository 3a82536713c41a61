import BlockingHTTP

extension TLSSettings {
    /// The sink's TLS settings, from Confluent's `elastic.security.protocol` and `elastic.https.ssl.*` keys.
    ///
    /// As in the original, TLS is used when any `connection.url` is `https:`, but the `elastic.https.ssl.*` keys
    /// only apply when `elastic.security.protocol=SSL`; otherwise the system's CA certificates are trusted and the
    /// stores are ignored.
    init(urls: [String], string: (String) -> String?, list: (String) -> [String]) throws {
        let ssl = (string("elastic.security.protocol") ?? "PLAINTEXT").uppercased() == "SSL"
        try self.init(urls: urls, keyPrefix: "elastic.https.ssl.",
                      string: { ssl ? string($0) : nil }, list: { ssl ? list($0) : [] })
    }
}
