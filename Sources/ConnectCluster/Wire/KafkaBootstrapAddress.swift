/// One `host:port` entry of `bootstrap.servers`.
public struct KafkaBootstrapAddress: Sendable, Hashable {
    public var host: String
    public var port: Int

    /// Parses `host:port[,host:port...]`, tolerating spaces, `PLAINTEXT://` prefixes and bracketed IPv6 hosts;
    /// entries without a valid port default to 9092.
    public static func parse(_ list: String) -> [KafkaBootstrapAddress] {
        list.split(separator: ",").compactMap { raw in
            var entry = String(raw.filter { $0 != " " && $0 != "\t" })
            if let scheme = entry.firstRange(of: "://") { entry = String(entry[scheme.upperBound...]) }
            guard !entry.isEmpty else { return nil }
            if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
                let host = String(entry[entry.index(after: entry.startIndex)..<close])
                let rest = entry[entry.index(after: close)...]
                let port = rest.hasPrefix(":") ? Int(rest.dropFirst()) ?? 9092 : 9092
                return KafkaBootstrapAddress(host: host, port: port)
            }
            guard let colon = entry.lastIndex(of: ":") else { return KafkaBootstrapAddress(host: entry, port: 9092) }
            return KafkaBootstrapAddress(host: String(entry[..<colon]), port: Int(entry[entry.index(after: colon)...]) ?? 9092)
        }
    }
}
