/// Picks, per API, the highest version both the broker (from ApiVersions) and this client implement.
public enum KafkaVersionNegotiation {
    /// Every group API this client uses; negotiation fails when the broker lacks one of them.
    static let required: [any KafkaRequest.Type] = [
        FindCoordinatorRequest.self, JoinGroupRequest.self, SyncGroupRequest.self, HeartbeatRequest.self,
        LeaveGroupRequest.self,
    ]

    /// Sends ApiVersions (v2, or v0 when the broker refuses v2) and returns the chosen version per API.
    public static func negotiate(_ connection: KafkaBrokerConnection, timeoutMs: Int) throws(KafkaWireError) -> [KafkaApiKey: Int16] {
        let response = try connection.apiVersions(timeoutMs: timeoutMs)
        guard response.errorCode == .none else {
            throw KafkaWireError.broker(api: "ApiVersions to \(connection.peer)", code: response.errorCode, message: nil)
        }
        return try choose(response)
    }

    /// The pure part of `negotiate`, for tests.
    public static func choose(_ response: ApiVersionsRequest.Response) throws(KafkaWireError) -> [KafkaApiKey: Int16] {
        var chosen: [KafkaApiKey: Int16] = [:]
        for type in required {
            chosen[type.apiKey] = try pick(type, response)
        }
        return chosen
    }

    private static func pick<R: KafkaRequest>(_ type: R.Type, _ response: ApiVersionsRequest.Response) throws(KafkaWireError) -> Int16 {
        try response.negotiate(type)
    }
}
