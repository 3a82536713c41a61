import SluiceAPI

/// The parsed, typed configuration one connector or task works from.
struct SpoolDirSettings: Sendable {
    enum Cleanup: String, Sendable { case move = "MOVE", moveByDate = "MOVEBYDATE", delete = "DELETE", none = "NONE" }
    enum TimestampMode: String, Sendable { case processTime = "PROCESS_TIME", field = "FIELD", fileTime = "FILE_TIME" }

    let format: SpoolDirFormat
    let topic: String
    let inputPath: String
    let errorPath: String
    let finishedPath: String?
    let pattern: String
    let processingExtension: String
    let minimumAgeMs: Int64
    let sort: [String]
    let recursive: Bool
    let cleanup: Cleanup
    let maintainRelativePath: Bool
    let haltOnError: Bool
    let batchSize: Int
    let emptyPollWaitMs: Int64
    let timestampMode: TimestampMode
    let timestampField: String?
    let bufferSize: Int
    let latin1: Bool
    let taskIndex: Int
    let taskCount: Int
    // Schema
    let keySchemaText: String
    let valueSchemaText: String
    let generationEnabled: Bool
    let keyFields: [String]
    let keyName: String
    let valueName: String
    let sampleRows: Int
    let inferTypes: Bool
    let dateFormats: [JavaDatePattern]
    let zone: ZoneRule
    let caseSensitive: Bool
    // CSV
    let firstRowHeader: Bool
    let csv: CSVOptions

    init(_ props: [String: String], format: SpoolDirFormat) throws {
        let c = try SpoolDirConfig.configDef(for: format).parse(props)
        typealias K = SpoolDirConfig
        self.format = format
        topic = c.string(K.topic) ?? ""
        inputPath = c.string(K.inputPath) ?? ""
        errorPath = c.string(K.errorPath) ?? ""
        finishedPath = c.string(K.finishedPath).flatMap { $0.isEmpty ? nil : $0 }
        pattern = c.string(K.filePattern) ?? ".*"
        processingExtension = c.string(K.processingExtension) ?? ".PROCESSING"
        minimumAgeMs = c.int64(K.minimumAge)
        sort = c.list(K.sortAttributes)
        recursive = c.bool(K.walkRecursively)
        cleanup = Cleanup(rawValue: (c.string(K.cleanupPolicy) ?? "MOVE").uppercased()) ?? .move
        maintainRelativePath = c.bool(K.maintainRelativePath)
        haltOnError = c.bool(K.haltOnError)
        batchSize = max(1, c.int(K.batchSize))
        emptyPollWaitMs = max(1, c.int64(K.emptyPollWait))
        timestampMode = TimestampMode(rawValue: (c.string(K.timestampMode) ?? "PROCESS_TIME").uppercased()) ?? .processTime
        timestampField = c.string(K.timestampField).flatMap { $0.isEmpty ? nil : $0 }
        bufferSize = c.int(K.bufferSize)
        let charset = (c.string(format == .csv ? K.csvCharset : K.fileCharset) ?? "UTF-8").uppercased()
        latin1 = charset == "ISO-8859-1" || charset == "LATIN1"
        taskIndex = c.int(K.taskIndex)
        taskCount = max(1, c.int(K.taskCount))
        keySchemaText = format.hasSchema ? c.string(K.keySchema) ?? "" : ""
        valueSchemaText = format.hasSchema ? c.string(K.valueSchema) ?? "" : ""
        generationEnabled = format.hasSchema && c.bool(K.generationEnabled)
        keyFields = format.hasSchema ? c.list(K.keyFields) : []
        keyName = c.string(K.keyName) ?? "com.github.jcustenborder.kafka.connect.model.Key"
        valueName = c.string(K.valueName) ?? "com.github.jcustenborder.kafka.connect.model.Value"
        sampleRows = format.hasSchema ? max(1, c.int(K.sampleRows)) : 10_000
        inferTypes = format.hasSchema ? c.bool(K.inferTypes) : false
        dateFormats = format.hasSchema ? try c.list(K.dateFormats).map { try JavaDatePattern($0) } : []
        zone = try ZoneRule(format.hasSchema ? c.string(K.timezone) ?? "UTC" : "UTC")
        caseSensitive = format == .csv && c.bool(K.caseSensitive)
        firstRowHeader = format == .csv && c.bool(K.firstRowHeader)
        var o = CSVOptions()
        if format == .csv {
            o.separator = UInt8(clamping: c.int(K.separator))
            o.quote = UInt8(clamping: c.int(K.quote))
            o.escape = UInt8(clamping: c.int(K.escape))
            o.strictQuotes = c.bool(K.strictQuotes)
            o.ignoreLeadingWhitespace = c.bool(K.ignoreLeadingWhitespace)
            o.ignoreQuotations = c.bool(K.ignoreQuotations)
            o.keepCarriageReturn = c.bool(K.keepCarriageReturn)
            o.nullFieldIndicator = CSVOptions.NullFieldIndicator(rawValue: (c.string(K.nullFieldIndicator) ?? "NEITHER").uppercased()) ?? .neither
            o.skipLines = c.int(K.skipLines)
            if c.bool(K.rfc4180) { o.useRFC4180() }
            if o.separator == 0 { throw ConnectError.invalidConfig(K.separator, "0", "The separator cannot be 0") }
        }
        csv = o
    }
}
