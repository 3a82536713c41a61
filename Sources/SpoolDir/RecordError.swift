import SluiceAPI

/// A line of input that does not fit: names the file, line, column and value so users can fix the data.
struct RecordError: Error, CustomStringConvertible {
    let file: String
    let line: Int
    let column: String?
    let value: String?
    let reason: String

    var description: String {
        var s = "\(file) line \(line)"
        if let column { s += ", column '\(column)'" }
        if let value { s += ", value '\(value.count > 200 ? String(value.prefix(200)) + "..." : value)'" }
        return s + ": " + reason
    }

    var connectError: ConnectError { ConnectError(.dataException, description) }
}
