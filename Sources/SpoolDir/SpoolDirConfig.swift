import SluiceAPI

/// The config keys of the SpoolDir connectors, with the original's names and defaults
/// (`AbstractSourceConnectorConfig`, `AbstractSpoolDirSourceConnectorConfig`, `SpoolDirCsvSourceConnectorConfig`),
/// plus Sluice's `schema.generation.sample.rows` and `schema.generation.infer.types`.
public enum SpoolDirConfig {
    public static let topic = "topic", inputPath = "input.path", errorPath = "error.path", finishedPath = "finished.path"
    public static let filePattern = "input.file.pattern", processingExtension = "processing.file.extension"
    public static let minimumAge = "file.minimum.age.ms", sortAttributes = "files.sort.attributes"
    public static let walkRecursively = "input.path.walk.recursively", cleanupPolicy = "cleanup.policy"
    public static let maintainRelativePath = "cleanup.policy.maintain.relative.path"
    public static let haltOnError = "halt.on.error", batchSize = "batch.size", emptyPollWait = "empty.poll.wait.ms"
    public static let timestampMode = "timestamp.mode", timestampField = "timestamp.field", partitioner = "task.partitioner"
    public static let bufferSize = "file.buffer.size.bytes", fileCharset = "file.charset"
    public static let taskIndex = "task.index", taskCount = "task.count"
    public static let keySchema = "key.schema", valueSchema = "value.schema"
    public static let generationEnabled = "schema.generation.enabled", keyFields = "schema.generation.key.fields"
    public static let keyName = "schema.generation.key.name", valueName = "schema.generation.value.name"
    public static let sampleRows = "schema.generation.sample.rows", inferTypes = "schema.generation.infer.types"
    public static let dateFormats = "parser.timestamp.date.formats", timezone = "parser.timestamp.timezone"
    public static let caseSensitive = "csv.case.sensitive.field.names"
    public static let firstRowHeader = "csv.first.row.as.header", skipLines = "csv.skip.lines"
    public static let separator = "csv.separator.char", quote = "csv.quote.char", escape = "csv.escape.char"
    public static let strictQuotes = "csv.strict.quotes", ignoreLeadingWhitespace = "csv.ignore.leading.whitespace"
    public static let ignoreQuotations = "csv.ignore.quotations", keepCarriageReturn = "csv.keep.carriage.return"
    public static let nullFieldIndicator = "csv.null.field.indicator", rfc4180 = "csv.rfc.4180.parser.enabled"
    public static let csvCharset = "csv.file.charset", verifyReader = "csv.verify.reader"
    /// Internal (task configs only): `key.schema`/`value.schema` were inferred by the connector, not given by the
    /// user, so tasks treat them as the first version of the topic schema, which may evolve.
    public static let schemaInferred = "sluice.spooldir.schema.inferred"

    static let sortValues = ["NameAsc", "NameDesc", "LengthAsc", "LengthDesc", "LastModifiedAsc", "LastModifiedDesc"]
    static let charsets = ["UTF-8", "UTF8", "US-ASCII", "ASCII", "ISO-8859-1", "LATIN1"]

    /// The definition for one connector kind.
    public static func configDef(for format: SpoolDirFormat) -> ConfigDef {
        var def = ConfigDef(commonKeys)
        switch format {
        case .csv: def = def.merging(ConfigDef(schemaKeys + csvKeys))
        case .json: def = def.merging(ConfigDef(schemaKeys))
        case .schemaLessJson, .lineDelimited:
            def.define(ConfigKey(fileCharset, .string, default: .value("UTF-8"), validator: .oneOf(charsets, caseInsensitive: true), importance: .low, doc: "Character set of the input files.", group: "File"))
        }
        def.addCrossCheck { c in
            var problems: [(key: String, message: String)] = []
            let policy = c.string(cleanupPolicy)?.uppercased() ?? "MOVE"
            if policy == "MOVE" || policy == "MOVEBYDATE", (c.string(finishedPath) ?? "").isEmpty {
                problems.append((finishedPath, "\(finishedPath) is required when \(cleanupPolicy) is \(policy)."))
            }
            if c.string(timestampMode)?.uppercased() == "FIELD", (c.string(timestampField) ?? "").isEmpty {
                problems.append((timestampField, "\(timestampField) is required when \(timestampMode) is FIELD."))
            }
            if format.hasSchema, !c.bool(generationEnabled), (c.string(valueSchema) ?? "").isEmpty {
                problems.append((valueSchema, "\(valueSchema) must be set when \(generationEnabled) is false."))
            }
            return problems
        }
        return def
    }

    static let commonKeys: [ConfigKey] = [
        ConfigKey(topic, .string, default: .required, validator: .nonEmptyString, importance: .high, doc: "The Kafka topic to write the data to.", group: "General"),
        ConfigKey(batchSize, .int, default: .value("1000"), validator: .range(min: 1), importance: .low, doc: "The number of records returned per poll.", group: "General"),
        ConfigKey(emptyPollWait, .long, default: .value("500"), validator: .range(min: 1), importance: .low, doc: "How long to wait before listing the input directory again when no file is ready (ms).", group: "General"),
        ConfigKey(partitioner, .string, default: .value("ByName"), validator: .oneOf(["ByName"]), importance: .medium, doc: "How files are split among tasks: ByName takes a file when hash(name) % tasks == task index.", group: "General"),
        ConfigKey(taskIndex, .int, default: .value("0"), importance: .low, doc: "Internal: the index of this task (set by the connector).", group: "General"),
        ConfigKey(taskCount, .int, default: .value("1"), importance: .low, doc: "Internal: the number of tasks (set by the connector).", group: "General"),
        ConfigKey(inputPath, .string, default: .required, validator: .nonEmptyString, importance: .high, doc: "The directory to read files from; it must exist and be writable (processing markers are created there).", group: "File"),
        ConfigKey(filePattern, .string, default: .required, validator: .regex, importance: .high, doc: "Regular expression matched against the whole file name.", group: "File"),
        ConfigKey(errorPath, .string, default: .required, validator: .nonEmptyString, importance: .high, doc: "Directory for files that could not be processed; created when missing.", group: "File"),
        ConfigKey(finishedPath, .string, default: .value(nil), importance: .high, doc: "Directory for finished files (required for MOVE and MOVEBYDATE); created when missing.", group: "File"),
        ConfigKey(processingExtension, .string, default: .value(".PROCESSING"), validator: .nonEmptyString, importance: .low, doc: "Extension of the marker file created next to a file while it is read.", group: "File"),
        ConfigKey(minimumAge, .long, default: .value("0"), validator: .range(min: 0), importance: .low, doc: "A file is read only when it was last modified at least this long ago (ms).", group: "File"),
        ConfigKey(sortAttributes, .list, default: .value("NameAsc"), validator: .listOf(sortValues), importance: .low, doc: "The order files are processed in.", group: "File", recommendedValues: sortValues),
        ConfigKey(walkRecursively, .boolean, default: .value("false"), importance: .low, doc: "Also read files from subdirectories of input.path.", group: "File"),
        ConfigKey(cleanupPolicy, .string, default: .value("MOVE"), validator: .oneOf(["MOVE", "MOVEBYDATE", "DELETE", "NONE"], caseInsensitive: true), importance: .medium, doc: "What to do with a finished file: MOVE to finished.path, MOVEBYDATE to finished.path/yyyy-MM-dd, DELETE, or NONE (leave it; it is not read again unless it changes).", group: "File", recommendedValues: ["MOVE", "MOVEBYDATE", "DELETE", "NONE"]),
        ConfigKey(maintainRelativePath, .boolean, default: .value("false"), importance: .low, doc: "Keep a file's path relative to input.path when moving it (recursive walks).", group: "File"),
        ConfigKey(haltOnError, .boolean, default: .value("true"), importance: .high, doc: "Fail the task on bad input (true) or move the file to error.path with a .error explanation and continue (false).", group: "File"),
        ConfigKey(bufferSize, .int, default: .value("131072"), validator: .range(min: 4096), importance: .low, doc: "Read buffer size in bytes.", group: "File"),
        ConfigKey(timestampMode, .string, default: .value("PROCESS_TIME"), validator: .oneOf(["PROCESS_TIME", "FIELD", "FILE_TIME"], caseInsensitive: true), importance: .medium, doc: "Record timestamp: the time it was read, a Timestamp field of the value, or the file's modification time.", group: "Timestamp", recommendedValues: ["PROCESS_TIME", "FIELD", "FILE_TIME"]),
        ConfigKey(timestampField, .string, default: .value(nil), importance: .medium, doc: "The value field holding the record timestamp when timestamp.mode is FIELD.", group: "Timestamp"),
    ]

    static let schemaKeys: [ConfigKey] = [
        ConfigKey(keySchema, .string, default: .value(""), importance: .high, doc: "The key schema in connect-utils JSON.", group: "Schema", width: .long),
        ConfigKey(valueSchema, .string, default: .value(""), importance: .high, doc: "The value schema in connect-utils JSON.", group: "Schema", width: .long),
        ConfigKey(generationEnabled, .boolean, default: .value("false"), importance: .medium, doc: "Generate the schema from the files when value.schema is not given.", group: "Schema Generation"),
        ConfigKey(keyFields, .list, default: .value(""), importance: .medium, doc: "The value fields that make up the generated key.", group: "Schema Generation"),
        ConfigKey(keyName, .string, default: .value("com.github.jcustenborder.kafka.connect.model.Key"), importance: .low, doc: "Name of the generated key schema.", group: "Schema Generation"),
        ConfigKey(valueName, .string, default: .value("com.github.jcustenborder.kafka.connect.model.Value"), importance: .low, doc: "Name of the generated value schema.", group: "Schema Generation"),
        ConfigKey(sampleRows, .int, default: .value("10000"), validator: .range(min: 1), importance: .low, doc: "Rows sampled per file (up to 5 files) when inferring the schema.", group: "Schema Generation"),
        ConfigKey(inferTypes, .boolean, default: .value("true"), importance: .medium, doc: "Infer typed fields (integers, decimals, doubles, booleans, dates, timestamps); false makes every field an optional string as the original.", group: "Schema Generation"),
        ConfigKey(dateFormats, .list, default: .value("yyyy-MM-dd'T'HH:mm:ss,yyyy-MM-dd' 'HH:mm:ss"), importance: .low, doc: "Java date patterns for Timestamp values, besides ISO-8601.", group: "Timestamp Parsing"),
        ConfigKey(timezone, .string, default: .value("UTC"), importance: .low, doc: "Time zone of timestamps written without one.", group: "Timestamp Parsing"),
    ]

    static func charCode(_ name: String, _ def: String, _ doc: String) -> ConfigKey {
        ConfigKey(name, .int, default: .value(def), validator: .range(min: 0, max: 127), importance: .low, doc: doc + " Given as an integer character code (ASCII).", group: "CSV Parsing")
    }

    static let csvKeys: [ConfigKey] = [
        ConfigKey(firstRowHeader, .boolean, default: .value("false"), importance: .medium, doc: "The first record holds the column names.", group: "CSV Parsing"),
        ConfigKey(skipLines, .int, default: .value("0"), validator: .range(min: 0), importance: .low, doc: "Physical lines skipped at the start of each file.", group: "CSV Parsing"),
        charCode(separator, "44", "The field separator (44 = comma, 9 = tab)."),
        charCode(quote, "34", "The quote character (0 = none)."),
        charCode(escape, "92", "The escape character (0 = none)."),
        ConfigKey(strictQuotes, .boolean, default: .value("false"), importance: .low, doc: "Ignore characters outside quotes.", group: "CSV Parsing"),
        ConfigKey(ignoreLeadingWhitespace, .boolean, default: .value("true"), importance: .low, doc: "Ignore whitespace before an opening quote.", group: "CSV Parsing"),
        ConfigKey(ignoreQuotations, .boolean, default: .value("false"), importance: .low, doc: "Treat quote characters as data.", group: "CSV Parsing"),
        ConfigKey(keepCarriageReturn, .boolean, default: .value("false"), importance: .low, doc: "Keep carriage returns in values.", group: "CSV Parsing"),
        ConfigKey(nullFieldIndicator, .string, default: .value("NEITHER"), validator: .oneOf(CSVOptions.NullFieldIndicator.allCases.map(\.rawValue), caseInsensitive: true), importance: .low, doc: "Which empty fields are null.", group: "CSV Parsing", recommendedValues: CSVOptions.NullFieldIndicator.allCases.map(\.rawValue)),
        ConfigKey(rfc4180, .boolean, default: .value("false"), importance: .low, doc: "Use the RFC 4180 parser (no escape character, only doubled quotes).", group: "CSV Parsing"),
        ConfigKey(csvCharset, .string, default: .value("UTF-8"), validator: .oneOf(charsets, caseInsensitive: true), importance: .low, doc: "Character set of the CSV files.", group: "CSV Parsing"),
        ConfigKey(verifyReader, .boolean, default: .value("true"), importance: .low, doc: "Accepted for compatibility; the parser always verifies its input.", group: "CSV Parsing"),
        ConfigKey(caseSensitive, .boolean, default: .value("false"), importance: .low, doc: "Match header names to schema fields case-sensitively.", group: "CSV Parsing"),
    ]
}
