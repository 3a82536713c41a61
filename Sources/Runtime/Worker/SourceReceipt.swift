import SluiceAPI

/// What the acknowledgement of a source record sent with `KafkaSender.sendRecords` settles in its task.
struct SourceReceipt {
    /// The record's place among the task's submitted records (its source offset).
    let submitted: SubmittedRecords.Entry
    /// The task's own record, before transforms: what `commitRecord` gets.
    let record: SourceRecord
    /// What the embedded Kafka's retention guard reserved for the record (0 without the guard).
    let bytes: Int64
}

/// A converted source record and its receipt, as a source task hands its poll to the sender.
typealias SourceSend = (message: OutgoingMessage, receipt: SourceReceipt)
