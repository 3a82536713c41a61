/// A consumer's fetch position was not on the broker any more ("Offset out of range") and the consumer moved on.
///
/// librdkafka's own `auto.offset.reset` handling only logs a WARN line and jumps, so a sink could lose records
/// without anyone noticing (the embedded broker drops old batches after 5 MiB per partition; a real Kafka deletes
/// segments by retention). A `KafkaConsumer` made with an out-of-range handler resets positions itself and reports
/// each jump with the exact range it skipped.
public struct KafkaOffsetOutOfRange: Sendable, Equatable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    /// The position the consumer asked for: the next record it had not read yet.
    public var requestedOffset: Int64
    /// The partition's earliest and next-to-be-written offsets when the consumer looked.
    public var lowWatermark: Int64
    public var highWatermark: Int64
    /// Where the consumer reads from now.
    public var resumedAt: Int64

    public init(topic: String, partition: Int32, requestedOffset: Int64, lowWatermark: Int64, highWatermark: Int64, resumedAt: Int64) {
        self.topic = topic
        self.partition = partition
        self.requestedOffset = requestedOffset
        self.lowWatermark = lowWatermark
        self.highWatermark = highWatermark
        self.resumedAt = resumedAt
    }

    /// Records in `[requestedOffset, resumedAt)` that the broker had dropped before this consumer read them.
    /// Zero when the position was beyond the end (the consumer then re-reads; nothing unread was skipped).
    public var skipped: Int64 { requestedOffset < lowWatermark ? max(0, resumedAt - requestedOffset) : 0 }

    public var description: String {
        "\(topic)-\(partition): offset \(requestedOffset) out of range [\(lowWatermark), \(highWatermark)), resumed at \(resumedAt)"
            + (skipped > 0 ? ", \(skipped) unread records skipped (offsets \(requestedOffset)..<\(resumedAt))" : "")
    }
}

/// The user's `auto.offset.reset`, applied by the wrapper instead of librdkafka (which is told `error`).
public enum KafkaOffsetResetRule: Sendable, Equatable {
    case earliest
    case latest
    /// `none` (Java) / `error` (librdkafka): no position is made up; the consumer fails.
    case none

    /// Parses Java's and librdkafka's spellings; nil for anything else (librdkafka's default is `latest`).
    public init?(_ text: String?) {
        switch text?.lowercased() {
        case nil: self = .latest
        case "earliest", "smallest", "beginning": self = .earliest
        case "latest", "largest", "end": self = .latest
        case "none", "error": self = .none
        default: return nil
        }
    }

    /// What to do about one out-of-range report. Pure, so the rule is tested without a broker.
    public enum Decision: Sendable, Equatable {
        /// No position yet (no committed offset): start at a logical offset, silently, as Kafka does.
        case startLogical(Int64)
        /// A real position outside `[low, high)`: continue at this offset and report it.
        case resumeAt(Int64)
        /// `none`: there is no position the user allowed.
        case fail
    }

    /// librdkafka's logical offsets.
    public static let beginning: Int64 = -2
    public static let end: Int64 = -1

    /// `requested < 0` means the consumer had no position (librdkafka reports `OFFSET_INVALID`, -1001).
    /// Below the low watermark the earliest kept record is the only continuation that skips nothing more than the
    /// broker already dropped, whatever the rule (Kafka Connect's `earliest` does the same); beyond the end the
    /// rule decides between re-reading (`earliest`) and the end.
    public func decide(requested: Int64, low: Int64, high: Int64) -> Decision {
        if requested < 0 {
            switch self {
            case .earliest: return .startLogical(Self.beginning)
            case .latest: return .startLogical(Self.end)
            case .none: return .fail
            }
        }
        if self == .none { return .fail }
        if requested < low { return .resumeAt(low) }
        return .resumeAt(self == .earliest ? low : high)
    }
}
