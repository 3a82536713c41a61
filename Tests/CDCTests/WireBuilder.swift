/// Builds protocol bytes in tests so fixtures read like transcripts: `.byte("I").int32(16384).byte("N")...`.
struct WireBuilder {
    var bytes: [UInt8] = []

    func byte(_ c: Character) -> WireBuilder { var w = self; w.bytes.append(c.asciiValue!); return w }
    func u8(_ v: UInt8) -> WireBuilder { var w = self; w.bytes.append(v); return w }
    func int16(_ v: Int16) -> WireBuilder { append(UInt64(UInt16(bitPattern: v)), 2) }
    func int32(_ v: Int32) -> WireBuilder { append(UInt64(UInt32(bitPattern: v)), 4) }
    func int64(_ v: Int64) -> WireBuilder { append(UInt64(bitPattern: v), 8) }
    func string(_ s: String) -> WireBuilder { var w = self; w.bytes += Array(s.utf8) + [0]; return w }
    func raw(_ b: [UInt8]) -> WireBuilder { var w = self; w.bytes += b; return w }
    /// A TupleData of text columns (nil = `n`, "\u{0}TOAST" = `u`).
    func tuple(_ cols: [String?]) -> WireBuilder {
        var w = int16(Int16(cols.count))
        for c in cols {
            switch c {
            case nil: w = w.byte("n")
            case "\u{0}TOAST": w = w.byte("u")
            case let s?: w = w.byte("t").int32(Int32(s.utf8.count)).raw(Array(s.utf8))
            }
        }
        return w
    }

    private func append(_ v: UInt64, _ n: Int) -> WireBuilder {
        var w = self
        for i in (0..<n).reversed() { w.bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(i * 8))) }
        return w
    }
}
