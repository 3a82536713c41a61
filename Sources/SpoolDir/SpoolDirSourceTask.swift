import Foundation
import Logging
import SluiceAPI

/// Reads the files assigned to this task (ByName partitioning) and turns them into records.
///
/// Lifecycle of a file: listed → `<name>.PROCESSING` marker created → resumed after the records a previous run
/// committed (offset = records read, keyed by name *and* size/mtime so a new file reusing a name starts at 0) → read
/// in `batch.size` batches → once every record of it was acknowledged (`commitRecord`), cleaned up (MOVE,
/// MOVEBYDATE, DELETE, NONE) and the marker removed. Waiting for acknowledgements before moving the file is what
/// makes a crash at any point lose nothing: an unfinished file stays in `input.path` and is resumed. Markers found
/// at start for files this task owns are left over from a crash and are removed (defect #72 of the original).
///
/// Bad data moves the file to `error.path` with a `.error` text; with `halt.on.error=false` the task goes on with the
/// next file, with `true` it fails with a message naming file, line, column, value and expected type.
/// Without `value.schema`, files share one schema per topic (`TopicSchema`): stored durably, evolved by compatible
/// files, and a value that does not fit it is bad data like any other. With
/// `errors.tolerance=all` and `errors.deadletterqueue.topic.name` set, a bad line (wrong column count, a value that
/// does not convert, invalid JSON) is instead parked in the dead letter queue — its original bytes as the value,
/// `file.name`/`file.path`/`file.line`/`file.column`/`file.error` headers — and reading goes on with the next line.
/// Errors that leave the reader lost (an unterminated quote at end of file, unreadable input) still fail the file.
public final class SpoolDirSourceTask: SourceTask, @unchecked Sendable {
    let format: SpoolDirFormat
    private let lock = NSCondition()
    private var stopped = false
    private var context: (any SourceTaskContext)?
    private var logger = Logger(label: "sluice.spooldir")
    private var settings: SpoolDirSettings!
    private var lister: FileLister!
    private var cleaner: FileCleaner!
    /// The user's `key.schema`/`value.schema`: every file is read with them, nothing is inferred.
    private var fixedSchemas: RecordSchemas?
    /// Generated schemas: one per topic, stored durably and evolved by compatible files.
    private var topicSchema: TopicSchema?
    private var current: OpenFile?
    /// Fully read files waiting for their records to be acknowledged: ack key → (file, records to wait for).
    private var awaiting: [OpenFile.AckKey: (file: InputFile, needed: Int, fileTotal: Int)] = [:]
    private var acked = AckCounter()
    /// Paths not to pick up again in this run: being read, awaiting acks, or finished but left in place (NONE).
    private var busy: Set<String> = []
    private var doneInPlace: [String: InputFile] = [:]
    private var nextListing = Date.distantPast
    /// Bad lines go to the dead letter queue (tolerance all + a DLQ topic + a runtime that takes raw reports).
    private var deadLetterBadLines = false

    public init(format: SpoolDirFormat) { self.format = format }

    public func initialize(context: any SourceTaskContext) {
        self.context = context
        logger = context.logger
    }

    public func start(_ props: [String: String]) throws {
        let s = try SpoolDirSettings(props, format: format)
        settings = s
        lister = try FileLister(settings: s)
        logger[metadataKey: "task"] = "\(s.taskIndex)"
        cleaner = FileCleaner(settings: s, logger: logger)
        let given = format.hasSchema ? try RecordSchemas.explicit(s) : nil
        if format.hasSchema, given == nil || props[SpoolDirConfig.schemaInferred] == "true" {
            topicSchema = try TopicSchema(settings: s, store: context?.stateStore, seed: given, logger: logger)
        } else {
            fixedSchemas = given
        }
        try SpoolDirDirectories.prepare(s)
        deadLetterBadLines = (props["errors.tolerance"] ?? "none").lowercased() == "all"
            && !(props["errors.deadletterqueue.topic.name"] ?? "").isEmpty
            && context?.errantRecordReporter is any RawErrantRecordReporter
        recoverStaleMarkers()
    }

    private func recoverStaleMarkers() {
        for f in lister.allMatching() where FileLister.owns(f.name, index: settings.taskIndex, count: settings.taskCount) {
            let marker = lister.markerPath(f.path)
            if FileManager.default.fileExists(atPath: marker) {
                try? FileManager.default.removeItem(atPath: marker)
                logger.warning("Removed stale marker \(marker) left by a previous run; \(f.path) will be resumed from its committed offset")
            }
        }
    }

    public func stop() {
        lock.lock()
        stopped = true
        lock.broadcast()
        lock.unlock()
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    public func commitRecord(_ record: SourceRecord, metadata: RecordMetadata?) throws {
        lock.lock()
        acked.add(record)
        lock.unlock()
    }

    public func poll() throws -> [SourceRecord] {
        if isStopped { return [] }
        try cleanUpAcknowledged()
        if current == nil {
            guard try openNext() else {
                waitBeforeNextListing()
                return []
            }
        }
        return try readBatch()
    }

    /// Sleeps until the next listing is due, at most a second, waking up early on `stop`.
    private func waitBeforeNextListing() {
        let until = min(nextListing, Date().addingTimeInterval(1))
        lock.lock()
        if !stopped { _ = lock.wait(until: until) }
        lock.unlock()
    }

    private func openNext() throws -> Bool {
        let now = Date()
        guard now >= nextListing else { return false }
        let candidates = lister.ready(taskIndex: settings.taskIndex, taskCount: settings.taskCount, skip: busy)
            .filter { f in doneInPlace[f.path].map { $0 != f } ?? true }
        for f in candidates {
            if isStopped { return false }
            let marker = lister.markerPath(f.path)
            guard FileManager.default.createFile(atPath: marker, contents: Data("task \(settings.taskIndex) pid \(getpid())\n".utf8)) else {
                logger.error("Cannot create processing marker \(marker); skipping \(f.path)")
                continue
            }
            doneInPlace[f.path] = nil
            busy.insert(f.path)
            do {
                let plan = try topicSchema.map { try $0.plan(for: sample(f), file: f.path) }
                let reader = try makeReader(f, schemas: plan?.schemas ?? fixedSchemas)
                let resume = OpenFile.resumePosition(context?.offsetStorageReader.offset(["fileName": .string(f.name)]), for: f)
                var skipped = 0
                while skipped < resume, try reader.skip() {
                    skipped += 1
                    // A long resume must not keep `stop` waiting; the marker left behind is recovered at the next start.
                    if skipped & 0xFFFF == 0, isStopped { reader.close(); return false }
                }
                current = OpenFile(file: f, reader: reader, skipped: skipped, settings: settings)
                if let plan, plan.needsWrite { current?.pendingSchema = plan }
                logger.info("Processing \(f.path) (\(f.size) bytes)\(skipped > 0 ? ", resuming after \(skipped) committed records" : "")")
                return true
            } catch {
                if !FileManager.default.fileExists(atPath: f.path) {  // removed by someone else meanwhile: not bad data
                    try? FileManager.default.removeItem(atPath: marker)
                    busy.remove(f.path)
                    logger.warning("\(f.path) disappeared before it could be read; skipping it")
                    continue
                }
                try fail(f, error)
            }
        }
        nextListing = now.addingTimeInterval(Double(settings.emptyPollWaitMs) / 1000)
        return false
    }

    /// Samples a file's columns to merge them into the topic schema.
    private func sample(_ f: InputFile) throws -> SchemaSample {
        var sample = SchemaSample()
        if format == .csv { try CSVRecordReader.sample(f, settings: settings, into: &sample) }
        else { try JSONRecordReader.sample(f, settings: settings, into: &sample) }
        return sample
    }

    private func makeReader(_ f: InputFile, schemas: RecordSchemas?) throws -> any RecordReader {
        switch format {
        case .csv: return try CSVRecordReader(file: f, settings: settings, fixed: schemas)
        case .json: return try JSONRecordReader(file: f, settings: settings, fixed: schemas, schemaless: false)
        case .schemaLessJson: return try JSONRecordReader(file: f, settings: settings, fixed: nil, schemaless: true)
        case .lineDelimited: return try LineRecordReader(file: f, settings: settings)
        }
    }

    private func readBatch() throws -> [SourceRecord] {
        guard let cur = current else { return [] }
        var out: [SourceRecord] = []
        out.reserveCapacity(settings.batchSize)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        do {
            while out.count < settings.batchSize {
                let parsed: ParsedRecord?
                do {
                    parsed = try cur.reader.next()
                } catch let e as RecordError where deadLetterBadLines && e.raw != nil {
                    cur.count += 1  // the line keeps its position, so offsets and resuming skip it like any record
                    cur.deadLettered += 1
                    try deadLetter(e, cur)
                    continue
                }
                guard let r = parsed else {
                    finishReading(cur)
                    break
                }
                cur.count += 1
                out.append(record(r, cur, now: now))
            }
        } catch {
            current = nil
            cur.reader.close()
            try fail(cur.file, error)
        }
        // The schema these records carry is stored before the runtime sees (and may acknowledge) any of them.
        if !out.isEmpty, let plan = cur.pendingSchema {
            try topicSchema?.commit(plan, file: cur.file.path)
            cur.pendingSchema = nil
        }
        return out
    }

    private func record(_ r: ParsedRecord, _ cur: OpenFile, now: Int64) -> SourceRecord {
        // The file's headers are shared by every record of the file; only `file.offset` is the record's own.
        let headers = Headers(base: cur.baseHeaders, adding: [Header(key: "file.offset", schema: .int64, value: .int64(Int64(cur.count)))])
        var ts: Int64? = now
        switch settings.timestampMode {
        case .processTime: break
        case .fileTime: ts = cur.file.modifiedMs
        case .field:
            if let i = cur.reader.timestampFieldIndex, case .structure(let s) = r.value { ts = s[i].int64Value ?? now }
        }
        return SourceRecord(
            sourcePartition: cur.partition, sourceOffset: cur.offset(cur.count), topic: settings.topic,
            keySchema: cur.reader.keySchema, key: r.key, valueSchema: cur.reader.valueSchema, value: r.value,
            timestamp: ts, headers: headers)
    }

    private func finishReading(_ cur: OpenFile) {
        cur.reader.close()
        current = nil
        nextListing = .distantPast
        let read = cur.count - cur.skipped
        let secs = max(Date().timeIntervalSince(cur.startedAt), 0.000_001)
        let bad = cur.deadLettered > 0 ? ", \(cur.deadLettered) bad lines sent to the dead letter queue" : ""
        logger.info("Finished reading \(cur.file.path): \(read) records in \(String(format: "%.3f", secs)) s (\(Int(Double(read) / secs)) rows/s)\(bad)")
        lock.lock()
        awaiting[cur.ackKey] = (cur.file, read - cur.deadLettered, cur.count)  // parked lines are never acknowledged
        lock.unlock()
    }

    /// Cleans up files whose records were all acknowledged (`commitRecord`) or whose final offset was committed
    /// (the offset store; a fallback for runtimes that flush offsets without per-record callbacks).
    private func cleanUpAcknowledged() throws {
        lock.lock()
        var ready = awaiting.filter { acked.count($0.key) >= $0.value.needed }
        let rest = awaiting.filter { ready[$0.key] == nil }
        lock.unlock()
        if !rest.isEmpty, let reader = context?.offsetStorageReader {
            for (k, entry) in rest {
                let stored = reader.offset(["fileName": .string(k.name)])
                if stored?["fileSize"]?.int64Value == k.size, stored?["fileLastModified"]?.int64Value == k.modified,
                    let n = stored?["offset"]?.int64Value, n >= Int64(entry.fileTotal) {
                    ready[k] = entry
                }
            }
        }
        lock.lock()
        for k in ready.keys { awaiting[k] = nil; acked.remove(k) }
        lock.unlock()
        for (_, entry) in ready {
            let f = entry.file
            defer {
                try? FileManager.default.removeItem(atPath: lister.markerPath(f.path))
                busy.remove(f.path)
            }
            do {
                try cleaner.finished(f)
                if settings.cleanup == .none { doneInPlace[f.path] = f }
            } catch {
                logger.error("\(error)")
                doneInPlace[f.path] = f  // never re-read a file we could not move
            }
        }
    }

    /// Parks one bad line in the dead letter queue through the runtime's raw errant record reporter.
    private func deadLetter(_ e: RecordError, _ cur: OpenFile) throws {
        guard let reporter = context?.errantRecordReporter as? any RawErrantRecordReporter else { throw e }
        var headers: [(String, [UInt8]?)] = [
            ("file.name", Array(cur.file.name.utf8)),
            ("file.path", Array(cur.file.path.utf8)),
            ("file.line", Array(String(e.line).utf8)),
        ]
        if let c = e.column { headers.append(("file.column", Array(c.utf8))) }
        headers.append(("file.error", Array(e.description.utf8)))
        try reporter.reportRaw(topic: settings.topic, key: nil, value: e.raw, headers: headers, error: e.connectError)
    }

    /// Bad input: the file goes to error.path with a `.error` text (as the original), then the task fails
    /// (`halt.on.error=true`) or goes on with the next file.
    private func fail(_ f: InputFile, _ error: any Error) throws {
        let reason = (error as? RecordError)?.description ?? (error as? ConnectError)?.message ?? "\(error)"
        defer { busy.remove(f.path) }
        try? FileManager.default.removeItem(atPath: lister.markerPath(f.path))
        cleaner.failed(f, reason: reason)
        if FileManager.default.fileExists(atPath: f.path) { doneInPlace[f.path] = f }
        if settings.haltOnError {
            throw (error as? RecordError)?.connectError ?? (error as? ConnectError) ?? ConnectError(.connect, reason)
        }
        nextListing = .distantPast
    }
}
