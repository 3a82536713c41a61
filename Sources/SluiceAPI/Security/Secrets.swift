import Synchronization

/// Keeps secret values out of everything Sluice prints or answers: logs, status traces, error messages and REST
/// responses.
///
/// Two layers, because neither alone is enough:
/// - by key: values of keys that are passwords by name (`*.password`, `sasl.jaas.config`, `basic.auth.user.info`...)
///   are shown as `[hidden]` wherever a config is shown, like Kafka's `Password` type;
/// - by value: every secret value the worker has seen (those keys' values, and whatever a `${provider:...}`
///   placeholder resolved to) is registered once, and `scrub` replaces it in free text. A database driver that
///   echoes a connection string, or a plugin that puts a password into an exception message, is caught here.
public enum Secrets {
    /// What Kafka prints for a `Password` value.
    public static let hidden = "[hidden]"

    /// Whether `key` holds a secret by its name. Kafka marks these keys `ConfigDef.Type.PASSWORD`; Sluice also treats
    /// the same names under any prefix (`producer.override.`, `value.converter.`, `listeners.https.`...) as secret.
    public static func isSensitive(_ key: String) -> Bool {
        let k = key.lowercased()
        return k.hasSuffix("password") || k.hasSuffix("jaas.config") || k.hasSuffix("user.info")
            || k.hasSuffix("secret") || k.hasSuffix("ssl.keystore.key") || k.hasSuffix("ssl.key")
            || k.hasSuffix("credentials") || k.hasSuffix("api.key") || k.hasSuffix("token")
    }

    /// A copy of `props` with sensitive values replaced by `[hidden]`.
    public static func redacted(_ props: [String: String]) -> [String: String] {
        var out = props
        for (k, _) in props where isSensitive(k) { out[k] = hidden }
        return out
    }

    /// Remembers the sensitive values of `props` (and, when given, values that replaced a placeholder) so `scrub`
    /// hides them from then on.
    public static func register(_ props: [String: String], resolvedFrom raw: [String: String]? = nil) {
        var found: [String] = []
        for (k, v) in props {
            if isSensitive(k) { found.append(v); found.append(contentsOf: jaasSecrets(v)) }
            if let r = raw?[k], r != v, r.contains("${") { found.append(v) }
        }
        register(values: found)
    }

    /// Remembers secret values directly (e.g. a REST user's password).
    public static func register(values: [String]) {
        // Very short values would turn ordinary words into `[hidden]` all over the log; 4 characters is the least a
        // secret has in practice.
        let usable = values.filter { $0.count >= 4 && $0 != hidden }
        if usable.isEmpty { return }
        known.withLock { set in
            for v in usable where !set.contains(v) { set.append(v) }
            set.sort { $0.count > $1.count }  // longest first, so a secret containing another is hidden whole
        }
    }

    /// `text` with every known secret value, and the password of any `user:password@` URL or `password=` parameter,
    /// replaced by `[hidden]`.
    public static func scrub(_ text: String) -> String {
        var out = text
        for v in known.withLock({ $0 }) where out.contains(v) { out = out.replacing(v, with: hidden) }
        return scrubURLPasswords(out)
    }

    /// Hides `password=...` parameters (JDBC URLs, libpq conninfo strings) up to the next separator.
    static func scrubURLPasswords(_ text: String) -> String {
        let marker = Array("password=".utf8)
        let bytes = Array(text.utf8)
        guard bytes.count >= marker.count else { return text }
        let stops = Set(" &;,\"'\n\r\t)}".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        var changed = false
        while i < bytes.count {
            if i + marker.count <= bytes.count,
               (0..<marker.count).allSatisfy({ lowerASCII(bytes[i + $0]) == marker[$0] }) {
                out.append(contentsOf: bytes[i..<(i + marker.count)])
                i += marker.count
                var end = i
                while end < bytes.count && !stops.contains(bytes[end]) { end += 1 }
                let value = bytes[i..<end]
                if !value.isEmpty && !value.starts(with: Array(hidden.utf8)) {
                    out.append(contentsOf: Array(hidden.utf8))
                    changed = true
                } else {
                    out.append(contentsOf: value)
                }
                i = end
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : text
    }

    private static func lowerASCII(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }

    /// The `password="..."` values of a JAAS config line.
    static func jaasSecrets(_ jaas: String) -> [String] {
        var out: [String] = []
        var rest = Substring(jaas)
        while let r = rest.firstRange(of: "password=\"") {
            let tail = rest[r.upperBound...]
            guard let close = tail.firstIndex(of: "\"") else { break }
            out.append(String(tail[..<close]))
            rest = tail[close...]
        }
        return out
    }

    /// Forgets every registered value (tests only).
    public static func resetForTesting() { known.withLock { $0 = [] } }

    private static let known = Mutex<[String]>([])
}
