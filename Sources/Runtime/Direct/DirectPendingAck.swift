import SluiceAPI

/// A source record's acknowledgement waiting in the bus: when every sink holding its topic committed past it, it is
/// queued on its sender, which settles it from `poll`/`flush` on the source task's own threads (as librdkafka runs
/// delivery reports), never on a sink's thread. Records sent with `DirectSender.sendRecords` carry a receipt
/// instead of a callback: no closure per record, and their acknowledgements reach the task in batches.
struct DirectPendingAck {
    enum Settlement {
        /// Records sent one by one with `send`: called with the record's metadata.
        case callback((Result<RecordMetadata, any Error>) -> Void)
        /// Records sent with `sendRecords`: handed to the sender's `onRecordAcks`.
        case receipt(SourceReceipt)
    }

    let sender: DirectSender
    let settlement: Settlement

    /// Queues the acknowledgement on its sender (bus lock held). A receipt's entry travels along, so the sender's
    /// thread — the source's — drops the record.
    func deliver(_ entry: DirectPartitionLog.Entry, _ metadata: RecordMetadata) {
        switch settlement {
        case .callback(let callback): sender.ready.append(.callback(callback, metadata))
        case .receipt(let receipt): sender.ready.append(.record(SourceRecordAck(receipt: receipt, metadata: metadata, holder: entry)))
        }
    }
}
