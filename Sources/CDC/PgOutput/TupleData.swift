/// One column of a pgoutput TupleData.
public enum TupleColumn: Sendable, Hashable {
    /// SQL NULL (`n`).
    case null
    /// An unchanged TOASTed value that was not sent (`u`): Debezium emits the unavailable-value placeholder.
    case unchangedToast
    /// The value in the type's text output format (`t`).
    case text([UInt8])
    /// The value in binary format (`b`, only with `binary 'true'` on protocol ≥ 2; kept so such streams decode).
    case binary([UInt8])

    /// The text value as a Swift string (nil for null/unchanged/binary).
    public var string: String? {
        if case .text(let b) = self { return String(decoding: b, as: UTF8.self) }
        return nil
    }
}

/// The column values of a row (`TupleData`): Int16 count, then per column a kind byte and for `t`/`b` an Int32
/// length and that many bytes.
public struct TupleData: Sendable, Hashable {
    public var columns: [TupleColumn]

    public init(_ columns: [TupleColumn]) { self.columns = columns }

    static func decode(_ r: inout ByteReader) throws -> TupleData {
        let count = try r.int16("tuple column count")
        if count < 0 { throw r.error(.invalidLength, "negative tuple column count \(count)") }
        var columns: [TupleColumn] = []
        // Every column needs at least its kind byte, so never reserve more than the bytes can hold.
        columns.reserveCapacity(min(Int(count), r.remaining))
        for i in 0..<Int(count) {
            let kind = try r.uint8("kind of tuple column \(i)")
            switch kind {
            case UInt8(ascii: "n"): columns.append(.null)
            case UInt8(ascii: "u"): columns.append(.unchangedToast)
            case UInt8(ascii: "t"), UInt8(ascii: "b"):
                let length = try r.int32("length of tuple column \(i)")
                if length < 0 { throw r.error(.invalidLength, "negative length \(length) of tuple column \(i)") }
                let data = try r.bytes(Int(length), "value of tuple column \(i)")
                columns.append(kind == UInt8(ascii: "t") ? .text(data) : .binary(data))
            default:
                throw r.error(.unknownTag, "unknown kind byte 0x\(String(kind, radix: 16)) for tuple column \(i)")
            }
        }
        return TupleData(columns)
    }
}
