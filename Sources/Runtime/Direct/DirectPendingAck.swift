import SluiceAPI

/// A source record's acknowledgement waiting in the bus: when every sink holding its topic committed past it, the
/// entry is queued on its sender, which settles it from `poll`/`flush` on the source task's own threads (as
/// librdkafka runs delivery reports), never on a sink's thread. Records sent with `DirectSender.sendRecords` carry a
/// `receipt` instead of a callback: no closure per record, and their acknowledgements reach the task in batches.
struct DirectPendingAck {
    let sender: DirectSender
    /// Called with the record's metadata (records sent one by one with `send`).
    let callback: ((Result<RecordMetadata, any Error>) -> Void)?
    /// What the acknowledgement settles (records sent with `sendRecords`).
    let receipt: DirectSourceReceipt?

    /// Queues the entry on its sender (bus lock held). The entry travels along, so the sender's thread drops it.
    func deliver(_ entry: DirectPartitionLog.Entry, _ metadata: RecordMetadata) {
        sender.ready.append(DirectSender.ReadyAck(callback: callback, entry: entry, metadata: metadata))
    }
}

/// What the acknowledgement of a source record sent with `DirectSender.sendRecords` settles in its task.
struct DirectSourceReceipt {
    /// The record's place among the task's submitted records (its source offset).
    let submitted: SubmittedRecords.Entry
    /// The task's own record when transforms replaced it (`commitRecord` gets the original); nil when the record
    /// in the bus is the task's.
    let original: SourceRecord?
}

/// An acknowledged record sent with `sendRecords`, as handed to the sender's `onRecordAcks`.
struct DirectRecordAck {
    let entry: DirectPartitionLog.Entry
    let metadata: RecordMetadata

    var receipt: DirectSourceReceipt { entry.ack!.receipt! }
    /// The record the task produced (before transforms).
    var record: SourceRecord { receipt.original ?? entry.message.record! }
}
