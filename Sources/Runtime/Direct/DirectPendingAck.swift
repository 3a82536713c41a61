import SluiceAPI

/// A source record's acknowledgement waiting in the bus: when every sink holding its topic committed past it, the
/// callback is queued on its sender, which runs it from `poll`/`flush` on the source task's own threads (as
/// librdkafka runs delivery reports), never on a sink's thread.
struct DirectPendingAck {
    let sender: DirectSender
    let callback: (Result<RecordMetadata, any Error>) -> Void

    /// Queues the callback on the sender (bus lock held).
    func deliver(_ metadata: RecordMetadata) {
        sender.ready.append((callback, metadata))
    }
}
