import SluiceAPI

/// A sink's consumer found its position outside the partition's kept records and moved on; `skipped` records in
/// `[requestedOffset, resumedAt)` were gone from the broker before the sink read them (0 when the position was
/// beyond the end, where it re-reads instead).
public struct OffsetOutOfRange: Sendable, Equatable {
    public var partition: TopicPartition
    public var requestedOffset: Int64
    public var lowWatermark: Int64
    public var highWatermark: Int64
    public var resumedAt: Int64
    public var skipped: Int64

    public init(partition: TopicPartition, requestedOffset: Int64, lowWatermark: Int64, highWatermark: Int64, resumedAt: Int64, skipped: Int64) {
        self.partition = partition
        self.requestedOffset = requestedOffset
        self.lowWatermark = lowWatermark
        self.highWatermark = highWatermark
        self.resumedAt = resumedAt
        self.skipped = skipped
    }
}

extension RebalanceListener {
    /// Listeners that do not care (the default) ignore it; sink tasks report it (`SinkOffsetLossMonitor`).
    public func offsetOutOfRange(_ event: OffsetOutOfRange) {}
}
