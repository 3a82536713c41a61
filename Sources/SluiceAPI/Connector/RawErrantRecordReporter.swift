/// Reports input that never became a record — a malformed line of a file, an undecodable row — with its original
/// bytes, so the dead letter queue holds exactly what the source held (not a Connect value run through the
/// connector's converter, which would wrap the bytes in base64 JSON).
///
/// The runtime's `errantRecordReporter` conforms; connectors cast to this protocol and fall back to
/// `ErrantRecordReporter.report` (or their own error handling) when it does not.
public protocol RawErrantRecordReporter: ErrantRecordReporter {
    /// Applies the connector's `errors.tolerance` to `error`: throws when the task must fail (`none`), otherwise
    /// counts and logs the failure and, with `errors.deadletterqueue.topic.name` set, writes `value` (and `key`) as
    /// they are to that topic with `headers` (plus the `__connect.errors.*` context headers when enabled).
    /// - Parameter topic: the topic the record was meant for (the DLQ's `__connect.errors.topic`).
    func reportRaw(topic: String, key: [UInt8]?, value: [UInt8]?, headers: [(String, [UInt8]?)], error: any Error) throws
}
