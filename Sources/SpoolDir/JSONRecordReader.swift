import SluiceAPI

/// Reads JSON documents of one file: into structs of the (given or inferred) value schema for
/// `SpoolDirJsonSourceConnector`, or into schemaless maps for `SpoolDirSchemaLessJsonSourceConnector`.
final class JSONRecordReader: RecordReader {
    private var scanner: JSONObjectScanner
    private let file: InputFile
    let schemas: RecordSchemas?
    private let converters: [FieldConverter]
    let timestampFieldIndex: Int?

    var keySchema: Schema? { schemas?.key }
    var valueSchema: Schema? { schemas?.value }

    /// `schemaless` emits maps; otherwise `fixed` or a schema inferred from this file is used.
    init(file: InputFile, settings s: SpoolDirSettings, fixed: RecordSchemas?, schemaless: Bool) throws {
        self.file = file
        if schemaless {
            schemas = nil
        } else if let fixed {
            schemas = fixed
        } else {
            var sample = SchemaSample()
            try Self.sample(file, settings: s, into: &sample)
            schemas = try RecordSchemas.inferred(sample, settings: s)
        }
        scanner = JSONObjectScanner(source: try FileByteReader.open(file.path, bufferSize: s.bufferSize), sourceName: file.path)
        converters = try (schemas?.value.fields ?? []).map { try FieldConverter(schema: $0.schema, zone: s.zone, patterns: s.dateFormats) }
        timestampFieldIndex = try Self.timestampIndex(s, schemas?.value, file: file.path)
    }

    private var closed = false

    /// Frees the read buffer; safe to call more than once (deinit calls it for readers dropped mid-file).
    func close() {
        if closed { return }
        closed = true
        scanner.close()
    }

    deinit { close() }

    func skip() throws -> Bool { try scanner.next { _, _ in true } ?? false }

    func next() throws -> ParsedRecord? {
        let path = file.path
        return try scanner.next { bytes, line -> ParsedRecord in
            let json: JSONValue
            do {
                var r = JSONReader(bytes)
                json = try r.readValue()
                try r.expectEnd()
            } catch {
                throw RecordError(file: path, line: line, column: nil, value: nil, reason: "invalid JSON: \(error)", raw: Array(bytes))
            }
            guard let obj = json.objectValue else {
                throw RecordError(file: path, line: line, column: nil, value: json.compactString, reason: "expected a JSON object", raw: Array(bytes))
            }
            guard let schemas else { return ParsedRecord(key: .null, value: Self.schemaless(json), line: line) }
            var values = [Value](repeating: .null, count: converters.count)
            for f in schemas.value.fields {
                let conv = converters[f.index]
                do {
                    values[f.index] = try conv.convert(json: obj[f.name] ?? .null)
                } catch let error as ConversionFailure {
                    throw RecordError(file: path, line: line, column: f.name, value: obj[f.name].map { $0.configString ?? "" }, reason: error.reason,
                        raw: Array(bytes), expected: SchemaEvolution.describe(f.schema))
                }
            }
            return ParsedRecord(key: schemas.key(of: values), value: .structure(Struct(schema: schemas.value, values: values)), line: line)
        }
    }

    /// A JSON value as a schemaless Connect value: objects become maps in member order.
    static func schemaless(_ json: JSONValue) -> Value {
        switch json {
        case .null: return .null
        case .bool(let b): return .boolean(b)
        case .int(let i): return .int64(i)
        case .double(let d): return .float64(d)
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(schemaless))
        case .object(let o): return .map(o.members.map { MapEntry(.string($0.key), schemaless($0.value)) })
        }
    }

    /// Samples up to `schema.generation.sample.rows` objects; keys become columns in order of first appearance.
    static func sample(_ file: InputFile, settings s: SpoolDirSettings, into sample: inout SchemaSample) throws {
        var scanner = JSONObjectScanner(source: try FileByteReader.open(file.path, bufferSize: s.bufferSize), sourceName: file.path)
        defer { scanner.close() }
        sample.files += 1
        var rows = 0
        while rows < s.sampleRows {
            let obj: JSONObject?? = try? scanner.next { bytes, _ in
                var r = JSONReader(bytes)
                return (try? r.readValue())?.objectValue
            }
            guard let o = obj else { break }  // end of file or unreadable input: the real read reports it
            guard let members = o else { continue }
            rows += 1
            sample.rows += 1
            for m in members {
                let c = sample.slot(m.key)
                sample.presence[c] += 1
                switch m.value {
                case .null: sample.columns[c].observeEmpty()
                case .string(let t): sample.columns[c].observe(t, patterns: s.dateFormats)
                case .int(let i): sample.columns[c].observe(String(i))
                case .double: sample.columns[c].observe("0e0")
                case .bool(let b): sample.columns[c].observe(b ? "true" : "false")
                case .array, .object: sample.columns[c].observeUnrepresentable()
                }
            }
        }
    }
}

extension FieldConverter {
    /// Converts text held in a Swift string.
    func convert(text: String) throws(ConversionFailure) -> Value {
        var t = text
        let r: Result<Value, ConversionFailure> = t.withUTF8 { buf in
            do throws(ConversionFailure) { return .success(try convert(buf)) } catch { return .failure(error) }
        }
        return try r.get()
    }

    /// Converts a JSON member: strings are parsed like CSV text, numbers and booleans taken as they are.
    func convert(json: JSONValue) throws(ConversionFailure) -> Value {
        switch json {
        case .null: return try null()
        case .string(let s):
            if isString { return .string(s) }
            return try convert(text: s)
        case .array, .object:
            if isString { return .string(json.compactString) }
            throw ConversionFailure(reason: "a JSON \(json.arrayValue != nil ? "array" : "object") cannot be a \(kind)")
        case .int(let i):
            switch kind {
            case .timestamp: return .int64(i)
            case .date: guard let d = Int32(exactly: i) else { break }; return .int32(d)
            case .string: return .string(String(i))
            default: break
            }
            return try convert(text: String(i))
        case .double(let d):
            switch kind {
            case .float64: return .float64(d)
            case .float32: return .float32(Float(d))
            case .string: return .string(JSONWriter.javaDouble(d))
            default: break
            }
            return try convert(text: JSONWriter.javaDouble(d))
        case .bool(let b):
            if case .boolean = kind { return .boolean(b) }
            if isString { return .string(b ? "true" : "false") }
            throw ConversionFailure(reason: "a boolean cannot be a \(kind)")
        }
    }
}
