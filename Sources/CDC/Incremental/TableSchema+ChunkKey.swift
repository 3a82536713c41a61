extension TableSchema {
    /// Key columns in key order (the record key's columns; `message.key.columns` applies, as in Debezium).
    public var keyColumns: [Column] {
        columns.filter { $0.keyIndex != nil }.sorted { $0.keyIndex! < $1.keyIndex! }
    }

    /// The key of a pgoutput or snapshot tuple as the columns' text values, for matching streamed changes against
    /// buffered chunk rows; nil when a key column is missing, null or an unchanged TOAST value.
    public func chunkKey(_ tuple: TupleData) -> [String]? {
        var key: [String] = []
        for c in keyColumns {
            guard c.sourceIndex < tuple.columns.count, let s = tuple.columns[c.sourceIndex].string else { return nil }
            key.append(s)
        }
        return key.isEmpty ? nil : key
    }
}
