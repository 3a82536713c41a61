import SluiceAPI

/// An acknowledged source record, as a sender hands a batch of them to its task (`KafkaSender.onRecordAcks`).
struct SourceRecordAck {
    let receipt: SourceReceipt
    /// Where the record was stored.
    let metadata: RecordMetadata
    /// What else held the record in the sender, released with the acknowledgement on the task's thread (a
    /// direct pipeline's bus entry), so the thread that built the record also frees it.
    let holder: AnyObject?

    /// The record the task produced (before transforms).
    var record: SourceRecord { receipt.record }
}

/// A source record the sender could not deliver (`KafkaSender.onRecordFailure`).
struct SourceRecordFailure {
    let receipt: SourceReceipt
    let topic: String
    let error: any Error
}
