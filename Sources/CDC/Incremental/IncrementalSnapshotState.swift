/// Debezium's incremental snapshot (the DBLog algorithm) as a pure state machine, driven by the task (which reads
/// chunks and writes window markers) and by the change stream (which sees the markers and the concurrent changes).
///
/// Per chunk: the task writes an open marker, SELECTs the next rows by primary key into the buffer and writes a close
/// marker. When the stream reaches the open marker the window opens; every streamed change of a buffered key in the
/// window evicts that row (the streamed event is at least as new); at the close marker the remaining rows are emitted
/// as `op=r` reads and the next chunk is requested. So a read never overtakes a newer change of the same key.
public struct IncrementalSnapshotState: Sendable {
    public typealias Collection = IncrementalSnapshotOffset.Collection

    /// Tables still to snapshot; the first is in progress.
    public private(set) var collections: [Collection] = []
    /// Exclusive lower bound of the next chunk of the first table (nil: from its first row).
    public private(set) var lastKey: [String]?
    /// The first table's largest key, read when its snapshot began (nil: not read yet).
    public var maximumKey: [String]?
    /// The chunk whose markers the stream waits for.
    public private(set) var chunkID: String?
    public private(set) var windowOpen = false
    /// The table the buffered rows belong to.
    public private(set) var bufferTable: TableSchema?
    public private(set) var buffer = ChunkBuffer()
    /// Set by `pause-snapshot`: no further chunks until `resume-snapshot`.
    public private(set) var paused = false
    /// True when the task should read the next chunk.
    public private(set) var needsChunk = false
    /// Rows emitted for the first table so far (progress logging).
    public private(set) var rowsInTable = 0

    public init() {}

    /// Continues a snapshot recorded in a stored offset: the next chunk starts after the stored key.
    public init(restoring stored: IncrementalSnapshotOffset?) {
        guard let stored, !stored.collections.isEmpty else { return }
        collections = stored.collections
        lastKey = stored.primaryKey
        maximumKey = stored.maximumKey
        needsChunk = true
    }

    public var running: Bool { !collections.isEmpty }
    public var current: Collection? { collections.first }

    /// The progress to store in offsets (nil when no snapshot runs); `sent` overrides the key for an emitted row.
    public func offset(sent: [String]? = nil) -> IncrementalSnapshotOffset? {
        guard running else { return nil }
        return IncrementalSnapshotOffset(collections: collections, primaryKey: sent ?? lastKey, maximumKey: maximumKey)
    }

    /// `execute-snapshot`: queues tables not already queued; returns the ones added. Starts reading when idle.
    @discardableResult
    public mutating func add(_ tables: [Collection]) -> [Collection] {
        var added: [Collection] = []
        for t in tables where !collections.contains(where: { $0.id == t.id }) {
            collections.append(t)
            added.append(t)
        }
        if !added.isEmpty && chunkID == nil && !paused { needsChunk = true }
        return added
    }

    /// `stop-snapshot`: drops the named tables, or everything when `ids` is empty. Stopping the table in progress
    /// discards its buffered chunk (its pending window is then ignored) and moves on to the next table.
    public mutating func stop(_ ids: [String]) {
        let currentStopped = ids.isEmpty || current.map { ids.contains($0.id) } == true
        collections.removeAll { ids.isEmpty || ids.contains($0.id) }
        guard currentStopped else { return }
        resetTable()
        abandonChunk()
        needsChunk = running && !paused
    }

    public mutating func pause() {
        paused = true
        needsChunk = false
    }

    public mutating func resume() {
        guard paused else { return }
        paused = false
        if running && chunkID == nil { needsChunk = true }
    }

    /// The task starts a chunk: it will write `<id>-open`, read rows, then write `<id>-close`.
    public mutating func beginChunk(id: String) {
        needsChunk = false
        chunkID = id
        windowOpen = false
        buffer.removeAll()
        bufferTable = nil
    }

    /// The first table has no (more) rows: continue with the next one.
    public mutating func tableFinished() {
        guard running else { return }
        collections.removeFirst()
        resetTable()
    }

    /// The chunk SELECT of the first table returned `rows` (non-empty, key order).
    public mutating func chunkRead(table: TableSchema, rows: [ChunkBuffer.Row]) {
        bufferTable = table
        buffer = ChunkBuffer(rows)
        if let last = rows.last?.key { lastKey = last }
    }

    /// The task could not complete the chunk (its markers will be ignored); it will be read again.
    public mutating func abandonChunk() {
        chunkID = nil
        windowOpen = false
        buffer.removeAll()
        bufferTable = nil
    }

    /// Writing the chunk's markers failed: forget the chunk and ask for it again.
    public mutating func retryChunk() {
        abandonChunk()
        needsChunk = running && !paused
    }

    /// The stream reached an open marker; true when it is the expected chunk's.
    @discardableResult
    public mutating func windowOpened(_ id: String) -> Bool {
        guard id == chunkID else { return false }
        windowOpen = true
        return true
    }

    /// Whether a streamed change of `table` must be checked against the buffer (cheap test before computing keys).
    public func watches(_ table: TableId) -> Bool {
        windowOpen && !buffer.isEmpty && bufferTable?.id == table
    }

    /// A streamed change of `key` in `table`: a buffered row with that key is stale.
    public mutating func observed(_ table: TableId, key: [String]) {
        guard watches(table) else { return }
        buffer.evict(key)
    }

    /// A streamed TRUNCATE of `table` in the window: every buffered row is stale.
    public mutating func truncated(_ table: TableId) {
        if watches(table) { buffer.removeAll() }
    }

    /// The stream reached a close marker. For the expected chunk returns the rows to emit as reads (possibly none)
    /// with their table, and requests the next chunk; nil for any other marker.
    public mutating func windowClosed(_ id: String) -> (table: TableSchema?, rows: [ChunkBuffer.Row])? {
        guard id == chunkID else { return nil }
        let table = bufferTable
        let rows = buffer.drain()
        rowsInTable += rows.count
        abandonChunk()
        needsChunk = running && !paused
        return (table, rows)
    }

    private mutating func resetTable() {
        lastKey = nil
        maximumKey = nil
        rowsInTable = 0
    }
}
