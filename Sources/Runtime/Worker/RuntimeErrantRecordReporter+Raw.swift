import SluiceAPI

/// Raw reports go through the same tolerance, logging, metrics and dead letter queue as converted records; only the
/// payload differs: the connector's original bytes and headers are written unchanged.
extension RuntimeErrantRecordReporter: RawErrantRecordReporter {
    func reportRaw(topic: String, key: [UInt8]?, value: [UInt8]?, headers: [(String, [UInt8]?)], error: any Error) throws {
        let description = value.map { String(decoding: $0.prefix(1000), as: UTF8.self) }
        try handler.tolerate(stage, ErrorContext(topic: topic, key: key, value: value, headers: headers, recordDescription: description), error)
    }
}
