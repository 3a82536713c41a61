import NIOSSL
import SluiceAPI

/// The TLS settings a worker uses as a *client* of another worker's https listener (request forwarding), as Kafka
/// Connect's `RestClient` builds them from the same `listeners.https.ssl.*` (then plain `ssl.*`) keys as the server
/// side: the trust store verifies the peer (the system's roots when none is set), the worker's own key store is
/// presented as the client certificate (so a cluster with `ssl.client.auth=required` can still forward), and
/// `ssl.endpoint.identification.algorithm` (default `https`; empty turns it off) decides host-name verification.
enum RestClientTLS {
    static func configuration(_ workerProps: [String: String]) throws -> TLSConfiguration {
        let props = workerProps.filter { !$0.key.hasPrefix("admin.listeners.") }
        var tls = TLSConfiguration.makeClientConfiguration()
        if RestTLS.setting(props, "ssl.truststore.location") != nil || RestTLS.setting(props, "ssl.truststore.certificates") != nil {
            tls.trustRoots = .certificates(try RestTLS.trustStore(props))
        }
        if RestTLS.setting(props, "ssl.keystore.location") != nil || RestTLS.setting(props, "ssl.keystore.key") != nil {
            let (chain, key) = try RestTLS.keyStore(props)
            tls.certificateChain = chain.map { .certificate($0) }
            tls.privateKey = .privateKey(key)
        }
        // An explicitly empty value turns host-name checks off, as in Kafka; absent means "https".
        let algorithm = props["listeners.https.ssl.endpoint.identification.algorithm"] ?? props["ssl.endpoint.identification.algorithm"] ?? "https"
        tls.certificateVerification = algorithm.trimmedWS.isEmpty ? .noHostnameVerification : .fullVerification
        return tls
    }
}
