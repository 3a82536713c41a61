/// A JSON syntax error with the byte position where parsing stopped.
public struct JSONError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let position: Int
    public init(_ message: String, at position: Int) {
        self.message = message
        self.position = position
    }
    public var description: String { "\(message) at position \(position)" }
}
