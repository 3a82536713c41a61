import SluiceAPI

/// A line of input that does not fit: names the file, line, column and value so users can fix the data.
struct RecordError: Error, CustomStringConvertible {
    let file: String
    let line: Int
    let column: String?
    let value: String?
    let reason: String
    /// The record's original bytes, set when the reader consumed the whole record and can go on with the next one:
    /// only such errors may be parked in a dead letter queue instead of failing the file.
    var raw: [UInt8]? = nil
    /// The type the column's field has (`INT64`, `Decimal(scale=2)`, ...), for conversion failures.
    var expected: String? = nil

    var description: String {
        var s = "\(file) line \(line)"
        if let column { s += ", column '\(column)'" }
        if let value { s += ", value '\(value.count > 200 ? String(value.prefix(200)) + "..." : value)'" }
        s += ": " + reason
        if let expected { s += " (expected \(expected))" }
        return s
    }

    var connectError: ConnectError { ConnectError(.dataException, description) }
}
