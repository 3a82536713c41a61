/// Which of the four SpoolDir connectors: they share the file lifecycle and differ in how a file becomes records.
public enum SpoolDirFormat: String, Sendable, Hashable, CaseIterable {
    case csv, json, schemaLessJson, lineDelimited

    /// The Java class name users write in `connector.class`.
    public var className: String {
        let p = "com.github.jcustenborder.kafka.connect.spooldir."
        switch self {
        case .csv: return p + "SpoolDirCsvSourceConnector"
        case .json: return p + "SpoolDirJsonSourceConnector"
        case .schemaLessJson: return p + "SpoolDirSchemaLessJsonSourceConnector"
        case .lineDelimited: return p + "SpoolDirLineDelimitedSourceConnector"
        }
    }

    /// Whether records carry a struct schema (generated or given) rather than schemaless values or plain lines.
    var hasSchema: Bool { self == .csv || self == .json }
}
