/// Runs a SASL exchange on a freshly opened connection, as Kafka's clients do before any other request but
/// ApiVersions: SaslHandshake v1 naming the mechanism, then SaslAuthenticate round trips carrying the tokens
/// (one for PLAIN, two for SCRAM).
enum KafkaSaslAuthenticator {
    static func authenticate(_ connection: KafkaBrokerConnection, _ sasl: KafkaWireSecurity.SASL, timeoutMs: Int) throws(KafkaWireError) {
        let versions = try connection.apiVersions(timeoutMs: timeoutMs)
        guard let range = versions.versions[KafkaApiKey.saslAuthenticate.rawValue] else {
            throw KafkaWireError.unsupportedVersion(api: "SaslAuthenticate to \(connection.peer)", brokerRange: nil, clientVersions: [0, 1])
        }
        let version: Int16 = range.contains(1) ? 1 : 0
        let mechanism: String
        switch sasl {
        case .plain: mechanism = "PLAIN"
        case .scram(let m, _, _): mechanism = m.rawValue
        }
        let handshake = try connection.send(SaslHandshakeRequest(mechanism: mechanism), version: 1, timeoutMs: timeoutMs)
        guard handshake.errorCode == .none else {
            throw KafkaWireError.broker(
                api: "SaslHandshake \(mechanism) to \(connection.peer)", code: handshake.errorCode,
                message: "the broker enables \(handshake.mechanisms.joined(separator: ", "))")
        }
        func exchange(_ token: [UInt8]) throws(KafkaWireError) -> [UInt8] {
            let response = try connection.send(SaslAuthenticateRequest(authBytes: token), version: version, timeoutMs: timeoutMs)
            guard response.errorCode == .none else {
                throw KafkaWireError.broker(api: "SASL \(mechanism) authentication to \(connection.peer)", code: response.errorCode, message: response.errorMessage)
            }
            return response.authBytes
        }
        switch sasl {
        case .plain(let username, let password):
            // RFC 4616: [authzid] NUL authcid NUL passwd, with no authorization identity.
            _ = try exchange([0] + Array(username.utf8) + [0] + Array(password.utf8))
        case .scram(let m, let username, let password):
            var scram = ScramClient(mechanism: m, username: username, password: password)
            let serverFirst = try exchange(scram.clientFirstMessage())
            let serverFinal = try exchange(try scram.clientFinalMessage(serverFirst: serverFirst))
            try scram.verify(serverFinal: serverFinal)
        }
    }
}
