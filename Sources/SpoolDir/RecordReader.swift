import SluiceAPI

/// One record read from a file, before it becomes a `SourceRecord`.
struct ParsedRecord {
    var key: Value
    var value: Value
    /// The 1-based line the record starts on.
    var line: Int
}

/// Turns one open file into records, one at a time (the formats differ only here).
protocol RecordReader: AnyObject {
    var keySchema: Schema? { get }
    var valueSchema: Schema? { get }
    /// Index of the Timestamp value field `timestamp.mode=FIELD` reads, if any.
    var timestampFieldIndex: Int? { get }
    /// The next record, nil at end of file. Bad data throws `RecordError`; I/O problems throw `ConnectError`.
    func next() throws -> ParsedRecord?
    /// Moves past the next record without converting it (resuming after committed records); false at end of file.
    func skip() throws -> Bool
    func close()
}

extension RecordReader {
    func skip() throws -> Bool { try next() != nil }

    /// The index of `timestamp.field` in `schema`, validated to be a Timestamp when the mode is FIELD.
    static func timestampIndex(_ s: SpoolDirSettings, _ schema: Schema?, file: String) throws -> Int? {
        guard s.timestampMode == .field, let name = s.timestampField else { return nil }
        guard let f = schema?.field(name), f.schema.name == Logical.timestampName else {
            throw ConnectError.invalidConfig(SpoolDirConfig.timestampField, name, "\(file): the value schema has no Timestamp field named '\(name)'")
        }
        return f.index
    }
}
