/// Reads Kafka's classic wire-protocol primitives from a byte buffer, throwing `KafkaWireError` on truncated or
/// malformed input instead of trapping: bytes come from the network and must never crash the worker.
public struct KafkaWireReader: Sendable {
    private let bytes: [UInt8]
    /// The offset of the next unread byte.
    public private(set) var position: Int
    /// What is being decoded, for error messages ("JoinGroup v5 response").
    public let context: String

    public init(_ bytes: [UInt8], context: String) {
        self.bytes = bytes
        self.position = 0
        self.context = context
    }

    /// Bytes not read yet.
    public var remaining: Int { bytes.count - position }

    private mutating func take(_ count: Int, _ what: String) throws(KafkaWireError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw KafkaWireError.truncated(context: context, field: what, offset: position, needed: count, available: remaining)
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    public mutating func int8(_ what: String) throws(KafkaWireError) -> Int8 {
        Int8(bitPattern: try take(1, what).first!)
    }

    public mutating func int16(_ what: String) throws(KafkaWireError) -> Int16 {
        let s = try take(2, what)
        return Int16(bitPattern: UInt16(s[s.startIndex]) << 8 | UInt16(s[s.startIndex + 1]))
    }

    public mutating func int32(_ what: String) throws(KafkaWireError) -> Int32 {
        var v: UInt32 = 0
        for b in try take(4, what) { v = v << 8 | UInt32(b) }
        return Int32(bitPattern: v)
    }

    public mutating func int64(_ what: String) throws(KafkaWireError) -> Int64 {
        var v: UInt64 = 0
        for b in try take(8, what) { v = v << 8 | UInt64(b) }
        return Int64(bitPattern: v)
    }

    public mutating func string(_ what: String) throws(KafkaWireError) -> String {
        guard let value = try nullableString(what) else {
            throw KafkaWireError.malformed(context: context, field: what, offset: position - 2, reason: "null where a string is required")
        }
        return value
    }

    public mutating func nullableString(_ what: String) throws(KafkaWireError) -> String? {
        let length = try int16(what)
        if length == -1 { return nil }
        guard length >= 0 else {
            throw KafkaWireError.malformed(context: context, field: what, offset: position - 2, reason: "negative string length \(length)")
        }
        let raw = try take(Int(length), what)
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw KafkaWireError.malformed(context: context, field: what, offset: position - Int(length), reason: "invalid UTF-8")
        }
        return text
    }

    public mutating func bytes(_ what: String) throws(KafkaWireError) -> [UInt8] {
        guard let value = try nullableBytes(what) else {
            throw KafkaWireError.malformed(context: context, field: what, offset: position - 4, reason: "null where bytes are required")
        }
        return value
    }

    public mutating func nullableBytes(_ what: String) throws(KafkaWireError) -> [UInt8]? {
        let length = try int32(what)
        if length == -1 { return nil }
        guard length >= 0 else {
            throw KafkaWireError.malformed(context: context, field: what, offset: position - 4, reason: "negative byte length \(length)")
        }
        return Array(try take(Int(length), what))
    }

    /// An `ARRAY` of elements read by `element`; a null array reads as empty. The count is checked against the
    /// bytes left (every element takes at least `minElementSize` bytes) so a garbage count cannot allocate wildly.
    public mutating func array<T>(
        _ what: String, minElementSize: Int = 1, _ element: (inout KafkaWireReader) throws(KafkaWireError) -> T
    ) throws(KafkaWireError) -> [T] {
        let count = try int32(what)
        if count == -1 { return [] }
        guard count >= 0, Int(count) * max(minElementSize, 0) <= remaining else {
            throw KafkaWireError.malformed(context: context, field: what, offset: position - 4, reason: "array count \(count) does not fit the \(remaining) bytes left")
        }
        var result: [T] = []
        result.reserveCapacity(Int(count))
        for _ in 0..<count { result.append(try element(&self)) }
        return result
    }

    /// Throws unless every byte was consumed: a decoder that leaves bytes behind misread the message.
    public func expectEnd() throws(KafkaWireError) {
        if remaining != 0 {
            throw KafkaWireError.trailingBytes(context: context, count: remaining)
        }
    }
}
