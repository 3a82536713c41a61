import SluiceAPI

/// A connector's or task's status record in the status topic (`KafkaStatusBackingStore`):
/// `{"state":"RUNNING","trace":null,"worker_id":"host:port","generation":N}`.
public struct ConnectStatus: Sendable, Hashable {
    /// Connect's states: UNASSIGNED, RUNNING, PAUSED, STOPPED, FAILED, RESTARTING, DESTROYED.
    public enum State: String, Sendable, Hashable, CaseIterable {
        case unassigned = "UNASSIGNED", running = "RUNNING", paused = "PAUSED", stopped = "STOPPED"
        case failed = "FAILED", restarting = "RESTARTING", destroyed = "DESTROYED"
    }

    public var state: State
    /// The failure's stack trace / message for FAILED, else nil.
    public var trace: String?
    /// The worker that reported it (`host:port` of its REST listener).
    public var workerId: String
    /// The group generation the worker was in when it wrote this.
    public var generation: Int32

    public init(state: State, trace: String? = nil, workerId: String, generation: Int32) {
        self.state = state
        self.trace = trace
        self.workerId = workerId
        self.generation = generation
    }

    /// The record value, fields in Kafka Connect's order.
    public var json: JSONValue {
        .object(JSONObject([
            ("state", .string(state.rawValue)), ("trace", trace.map(JSONValue.string) ?? .null),
            ("worker_id", .string(workerId)), ("generation", .int(Int64(generation))),
        ]))
    }

    public init(json: JSONValue) throws {
        guard let text = json["state"]?.stringValue, let state = State(rawValue: text) else {
            throw ConnectStoreError(description: "status record without a known \"state\": \(json.compactString)")
        }
        guard let worker = json["worker_id"]?.stringValue else {
            throw ConnectStoreError(description: "status record without \"worker_id\": \(json.compactString)")
        }
        self.init(
            state: state, trace: json["trace"]?.stringValue, workerId: worker,
            generation: Int32(clamping: json["generation"]?.int64Value ?? 0))
    }
}
