import Foundation
import Logging
import SluiceAPI

/// One of the four SpoolDir source connectors (the `format` says which).
///
/// Schema agreement across tasks and files: when `value.schema` is not given and generation is enabled, the
/// connector infers a schema at start over up to 5 matching files and hands the same JSON to every task as
/// `value.schema` / `key.schema` (marked `sluice.spooldir.schema.inferred`). Tasks keep one schema per topic
/// (`TopicSchema`): the one an earlier run stored wins, else the connector's, else the one inferred from the first
/// file when none existed at start (which the original refused). Later files evolve it only by compatible
/// widenings and new optional columns; values that do not fit are record errors, never a silently different schema.
public final class SpoolDirSourceConnector: SourceConnector, @unchecked Sendable {
    public let format: SpoolDirFormat
    private let lock = NSLock()
    private var props: [String: String] = [:]
    private var inferred: RecordSchemas?
    private var logger = Logger(label: "sluice.spooldir")

    public init(format: SpoolDirFormat) { self.format = format }

    public var configDef: ConfigDef { SpoolDirConfig.configDef(for: format) }
    public var version: String { SpoolDirPlugins.version }

    public func initialize(context: any ConnectorContext) { logger = context.logger }

    public func validate(_ props: [String: String]) -> [ConfigValueInfo] {
        var results = configDef.validate(props)
        func add(_ key: String, _ message: String) {
            if let i = results.firstIndex(where: { $0.name == key }) { results[i].errors.append(message) }
        }
        guard results.allSatisfy({ $0.errors.isEmpty }) else { return results }
        for p in SpoolDirDirectories.problems(props, format: format) { add(p.key, p.message) }
        do { _ = try settingsAndSchemas(props) } catch let e as ConnectError {
            let key = [SpoolDirConfig.valueSchema, SpoolDirConfig.keySchema, SpoolDirConfig.keyFields, SpoolDirConfig.dateFormats,
                       SpoolDirConfig.timezone, SpoolDirConfig.timestampField, SpoolDirConfig.separator]
                .first { e.message.contains($0) } ?? SpoolDirConfig.inputPath
            add(key, e.message)
        } catch { add(SpoolDirConfig.inputPath, "\(error)") }
        return results
    }

    private func settingsAndSchemas(_ props: [String: String]) throws -> (SpoolDirSettings, RecordSchemas?) {
        let s = try SpoolDirSettings(props, format: format)
        _ = try FileLister(settings: s)
        let explicit = format.hasSchema ? try RecordSchemas.explicit(s) : nil
        if let explicit, s.timestampMode == .field, let name = s.timestampField, explicit.value.field(name)?.schema.name != Logical.timestampName {
            throw ConnectError.invalidConfig(SpoolDirConfig.timestampField, name, "The value schema has no Timestamp field named '\(name)'")
        }
        return (s, explicit)
    }

    public func start(_ props: [String: String]) throws {
        let (s, explicit) = try settingsAndSchemas(props)
        try SpoolDirDirectories.prepare(s)
        var schemas = explicit
        if schemas == nil, format.hasSchema, s.generationEnabled {
            schemas = try Self.inferAtStart(s, logger: logger)
            if let v = schemas?.value, s.timestampMode == .field, let name = s.timestampField, v.field(name)?.schema.name != Logical.timestampName {
                throw ConnectError.invalidConfig(SpoolDirConfig.timestampField, name, "The inferred value schema has no Timestamp field named '\(name)' (fields: \(SchemaJSON.serialize(v)))")
            }
        }
        lock.lock()
        self.props = props
        inferred = explicit == nil ? schemas : nil
        lock.unlock()
    }

    /// Infers the schema over up to 5 matching files, or returns nil when there is none yet.
    static func inferAtStart(_ s: SpoolDirSettings, logger: Logger) throws -> RecordSchemas? {
        let lister = try FileLister(settings: s)
        var sample = SchemaSample()
        for f in lister.allMatching().prefix(5) {
            do {
                if s.format == .csv { try CSVRecordReader.sample(f, settings: s, into: &sample) }
                else { try JSONRecordReader.sample(f, settings: s, into: &sample) }
            } catch {
                logger.warning("Skipping \(f.path) for schema inference: \(error)")
            }
        }
        guard sample.files > 0, !sample.isEmpty else {
            logger.info("No input file in \(s.inputPath) yet; each file's schema will be inferred when it arrives")
            return nil
        }
        let schemas = try RecordSchemas.inferred(sample, settings: s)
        logger.info("Inferred value schema from \(sample.files) file(s), \(sample.rows) rows: \(SchemaJSON.serialize(schemas.value))")
        return schemas
    }

    public func taskConfigs(maxTasks: Int) throws -> [[String: String]] {
        lock.lock()
        defer { lock.unlock() }
        let n = max(1, maxTasks)
        return (0..<n).map { i in
            var c = props
            c[SpoolDirConfig.taskIndex] = String(i)
            c[SpoolDirConfig.taskCount] = String(n)
            if let inferred {
                c[SpoolDirConfig.valueSchema] = SchemaJSON.serialize(inferred.value)
                if let k = inferred.key { c[SpoolDirConfig.keySchema] = SchemaJSON.serialize(k) }
                c[SpoolDirConfig.schemaInferred] = "true"
            }
            return c
        }
    }

    public func stop() {}

    public func makeTask() -> any SourceTask { SpoolDirSourceTask(format: format) }
}
