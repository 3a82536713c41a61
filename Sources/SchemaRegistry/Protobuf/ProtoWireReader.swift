/// Reads protobuf binary encoding from a byte array with bounds checks: every read that would run past the end,
/// an over-long varint or an impossible wire type throws, so a truncated or corrupt payload is an error, never a
/// crash or an out-of-bounds access.
public struct ProtoWireReader {
    public let bytes: [UInt8]
    public var pos: Int
    public var end: Int

    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        pos = offset
        end = bytes.count
    }

    public var atEnd: Bool { pos >= end }

    public mutating func varint() throws(ProtoWireError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard pos < end else { throw .truncated }
            let b = bytes[pos]
            pos += 1
            if shift == 63 && b > 1 { throw .malformedVarint }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { throw .malformedVarint }
        }
    }

    public mutating func zigzag() throws(ProtoWireError) -> Int64 {
        let n = try varint()
        return Int64(bitPattern: n >> 1) ^ -Int64(bitPattern: n & 1)
    }

    public mutating func fixed32() throws(ProtoWireError) -> UInt32 {
        guard end - pos >= 4 else { throw .truncated }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[pos + i]) << (8 * i) }
        pos += 4
        return v
    }

    public mutating func fixed64() throws(ProtoWireError) -> UInt64 {
        guard end - pos >= 8 else { throw .truncated }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[pos + i]) << (8 * i) }
        pos += 8
        return v
    }

    /// The extent of a length-delimited value; the reader moves past it.
    public mutating func lengthDelimited() throws(ProtoWireError) -> Range<Int> {
        let n = try varint()
        guard n <= UInt64(end - pos) else { throw .truncated }
        let r = pos..<(pos + Int(n))
        pos = r.upperBound
        return r
    }

    /// (field number, wire type).
    public mutating func tag() throws(ProtoWireError) -> (Int, UInt8) {
        let t = try varint()
        let number = t >> 3
        guard number > 0, number < 536_870_912 else { throw .invalidTag(t) }
        return (Int(number), UInt8(t & 7))
    }

    /// Skips a field of an unknown number.
    public mutating func skip(_ wireType: UInt8) throws(ProtoWireError) {
        switch wireType {
        case 0: _ = try varint()
        case 1: guard end - pos >= 8 else { throw .truncated }; pos += 8
        case 2: _ = try lengthDelimited()
        case 5: guard end - pos >= 4 else { throw .truncated }; pos += 4
        default: throw .unsupportedWireType(wireType)
        }
    }

    public func string(_ r: Range<Int>) -> String { String(decoding: bytes[r], as: UTF8.self) }
}

/// Why a protobuf payload could not be decoded.
public enum ProtoWireError: Error, Equatable, CustomStringConvertible, Sendable {
    case truncated
    case malformedVarint
    case invalidTag(UInt64)
    case unsupportedWireType(UInt8)
    case wrongWireType(field: String, got: UInt8)
    case invalidMessageIndexes
    case outOfRange(String)

    public var description: String {
        switch self {
        case .truncated: return "truncated protobuf payload"
        case .malformedVarint: return "malformed varint"
        case .invalidTag(let t): return "invalid field tag \(t)"
        case .unsupportedWireType(let w): return "unsupported wire type \(w)"
        case .wrongWireType(let f, let w): return "field \(f) has wire type \(w), which does not match its declared type"
        case .invalidMessageIndexes: return "invalid message indexes"
        case .outOfRange(let f): return "field \(f) holds a value out of range for its Connect type"
        }
    }
}
