import SluiceAPI

/// Reads CSV/TSV records of one file into structs of the file's value schema, mapping columns by header name
/// (or position without a header) and converting each field from bytes to its schema type.
final class CSVRecordReader: RecordReader {
    private var parser: CSVParser
    private var row = CSVRow()
    private let file: InputFile
    private let settings: SpoolDirSettings
    let schemas: RecordSchemas
    private let converters: [FieldConverter]
    /// Value field index for each column (-1: column not in the schema).
    private let columnToField: [Int]
    private let columnNames: [String]
    private let expectedColumns: Int
    private let unmapped: [Int]
    let timestampFieldIndex: Int?

    var keySchema: Schema? { schemas.key }
    var valueSchema: Schema? { schemas.value }

    /// Opens `file`; infers its schema first when `fixed` is nil.
    init(file: InputFile, settings s: SpoolDirSettings, fixed: RecordSchemas?) throws {
        self.file = file
        settings = s
        var sampled: SchemaSample?
        if fixed == nil {
            var sample = SchemaSample()
            try Self.sample(file, settings: s, into: &sample)
            sampled = sample
        }
        parser = CSVParser(source: try FileByteReader.open(file.path, bufferSize: s.bufferSize), options: s.csv, sourceName: file.path, chunkSize: s.bufferSize * 2)
        var names: [String]? = nil
        if s.firstRowHeader {
            if try parser.next(into: &row) { names = row.strings(latin1: s.latin1).map { $0.trimmingSpaces } } else { names = [] }
        }
        let sch: RecordSchemas
        if let fixed { sch = fixed } else { sch = try RecordSchemas.inferred(sampled!, settings: s) }
        schemas = sch
        let fields = sch.value.fields
        let cols = names ?? fields.map(\.name)
        columnNames = cols
        expectedColumns = names?.count ?? fields.count
        var lookup: [String: Int] = [:]
        for f in fields { lookup[s.caseSensitive ? f.name : f.name.lowercased()] = f.index }
        var map: [Int] = []
        for (i, n) in cols.enumerated() {
            map.append(names == nil ? (i < fields.count ? i : -1) : lookup[s.caseSensitive ? n : n.lowercased()] ?? -1)
        }
        columnToField = map
        let mapped = Set(map)
        unmapped = fields.map(\.index).filter { !mapped.contains($0) }
        if names != nil, !(names!.isEmpty), let missing = unmapped.first(where: { !fields[$0].schema.isOptional }) {
            throw RecordError(file: file.path, line: 1, column: fields[missing].name, value: nil,
                reason: "the value schema's required field is not a column of the header (\(cols.joined(separator: ", ")))")
        }
        converters = try fields.map { try FieldConverter(schema: $0.schema, zone: s.zone, patterns: s.dateFormats) }
        timestampFieldIndex = try Self.timestampIndex(s, sch.value, file: file.path)
    }

    private var closed = false

    /// Frees the read buffer; safe to call more than once (deinit calls it for readers dropped mid-file).
    func close() {
        if closed { return }
        closed = true
        parser.close()
    }

    deinit { close() }

    func skip() throws -> Bool { try parser.next(into: &row) }

    func next() throws -> ParsedRecord? {
        guard try parser.next(into: &row) else { return nil }
        let row = self.row  // a local copy keeps the field loop free of class-property access checks
        let n = row.count
        if n != expectedColumns {
            throw RecordError(file: file.path, line: row.line, column: nil, value: nil,
                reason: "expected \(expectedColumns) columns but found \(n) (ragged row)", raw: parser.lastRecordBytes)
        }
        var values = [Value](repeating: .null, count: converters.count)
        let indicator = settings.csv.nullFieldIndicator
        let latin1 = settings.latin1
        var failed: (column: Int, failure: ConversionFailure)?
        row.bytes.withUnsafeBufferPointer { bytes in
            row.ends.withUnsafeBufferPointer { ends in
                converters.withUnsafeBufferPointer { convs in
                    columnToField.withUnsafeBufferPointer { map in
                        var start = 0
                        for i in 0..<n {
                            let end = ends[i]
                            defer { start = end }
                            let fi = map[i]
                            if fi < 0 { continue }
                            let conv = convs[fi]
                            do throws(ConversionFailure) {
                                if start == end, indicator != .neither, row.isNull(i, indicator) {
                                    values[fi] = try conv.null()
                                } else if latin1 && conv.isString {
                                    values[fi] = .string(row.string(i, latin1: true))
                                } else {
                                    values[fi] = try conv.convert(UnsafeBufferPointer(rebasing: bytes[start..<end]))
                                }
                            } catch {
                                failed = (i, error)
                                return
                            }
                        }
                    }
                }
            }
        }
        if let failed {
            throw RecordError(file: file.path, line: row.line, column: columnNames[failed.column],
                value: row.string(failed.column, latin1: latin1), reason: failed.failure.reason, raw: parser.lastRecordBytes,
                expected: SchemaEvolution.describe(schemas.value.fields[columnToField[failed.column]].schema))
        }
        for fi in unmapped where !converters[fi].optional {
            throw RecordError(file: file.path, line: row.line, column: schemas.value.fields[fi].name, value: nil, reason: "required field has no column",
                raw: parser.lastRecordBytes)
        }
        return ParsedRecord(key: schemas.key(of: values), value: .structure(Struct(schema: schemas.value, values: values)), line: row.line)
    }

    /// Samples up to `schema.generation.sample.rows` rows of `file` into `sample` (columns merged by header name, or
    /// by position as `column01`, `column02`, ... without a header).
    static func sample(_ file: InputFile, settings s: SpoolDirSettings, into sample: inout SchemaSample) throws {
        var parser = CSVParser(source: try FileByteReader.open(file.path, bufferSize: s.bufferSize), options: s.csv, sourceName: file.path)
        defer { parser.close() }
        var row = CSVRow()
        var slots: [Int] = []
        if s.firstRowHeader {
            guard try parser.next(into: &row) else { return }
            slots = row.strings(latin1: s.latin1).map { sample.slot($0.trimmingSpaces) }
        }
        sample.files += 1
        var rows = 0
        while rows < s.sampleRows, try parser.next(into: &row) {
            rows += 1
            sample.rows += 1
            if !s.firstRowHeader {
                while slots.count < row.count { slots.append(sample.slot(columnName(slots.count))) }
            }
            for i in 0..<min(row.count, slots.count) {
                let c = slots[i]
                sample.presence[c] += 1
                if row.isNull(i, s.csv.nullFieldIndicator) {
                    sample.columns[c].observeEmpty()
                } else {
                    row.withField(i) { sample.columns[c].observe($0, patterns: s.dateFormats) }
                }
            }
        }
    }

    /// The original's generated names for header-less files.
    static func columnName(_ i: Int) -> String { i < 9 ? "column0\(i + 1)" : "column\(i + 1)" }
}
