/// Protobuf binary encoding primitives (base-128 varints, fixed little-endian, length-delimited fields), appending to
/// one buffer. Nested messages are written in place: one length byte is reserved and the body shifted in the rare
/// case it needs more, so no temporary buffer per nested message.
public struct ProtoWireWriter {
    public var bytes: [UInt8]

    public init(capacity: Int = 128) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public enum WireType: UInt8 { case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5 }

    @inline(__always) public mutating func varint(_ v: UInt64) {
        var n = v
        while n >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        bytes.append(UInt8(n))
    }

    /// Zig-zag varint (Confluent's message-index array, `sint32`/`sint64`).
    @inline(__always) public mutating func zigzag(_ v: Int64) {
        varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    @inline(__always) public mutating func tag(_ number: Int, _ type: WireType) {
        varint(UInt64(number) << 3 | UInt64(type.rawValue))
    }

    /// `int32`/`int64` value: negative numbers are sign-extended to ten bytes, as protobuf specifies.
    @inline(__always) public mutating func int(_ v: Int64) { varint(UInt64(bitPattern: v)) }

    @inline(__always) public mutating func fixed32(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inline(__always) public mutating func fixed64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inline(__always) public mutating func blob(_ b: [UInt8]) {
        varint(UInt64(b.count))
        bytes.append(contentsOf: b)
    }

    @inline(__always) public mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { u in
            varint(UInt64(u.count))
            bytes.append(contentsOf: u)
        }
    }

    /// Starts a length-delimited body; pass the result to `endLength`.
    @inline(__always) public mutating func beginLength() -> Int {
        bytes.append(0)
        return bytes.count
    }

    /// Fills in the length reserved by `beginLength`, widening it when the body is 128 bytes or more.
    @inline(__always) public mutating func endLength(_ start: Int) {
        let len = bytes.count - start
        if len < 0x80 {
            bytes[start - 1] = UInt8(len)
            return
        }
        var prefix: [UInt8] = []
        var n = UInt64(len)
        while n >= 0x80 {
            prefix.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        prefix.append(UInt8(n))
        bytes.replaceSubrange((start - 1)..<start, with: prefix)
    }
}
