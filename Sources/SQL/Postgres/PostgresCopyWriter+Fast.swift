/// Allocation-free COPY text for the values that dominate sink loads (integers, timestamps, dates, decimals that
/// fit in 64 bits); everything else goes through `encode`. Added for the JDBC sink's bulk path, where formatting
/// through `String` was a large part of the per-row cost.
extension PostgresCopyWriter {
    static let fastChunk = 32 * 1024

    /// Same as `append(_:)` with the fast encoders, or in binary format when the COPY is binary. (`rowCount` is not
    /// advanced; COPY's own count is returned.)
    public func appendFast(_ row: [SQLValue]) throws {
        guard row.count == width else {
            throw SQLError(.misuse, "COPY row has \(row.count) values but \(width) columns were named")
        }
        if let types = binaryTypes { return try appendBinary(row, types) }
        var first = true
        for v in row {
            if !first { buffer.append(9) }
            first = false
            switch v {
            case .int(let n): Self.appendInt(n, into: &buffer)
            case .timestamp(let t) where t > -62_135_596_800_000_000 && t < 253_402_300_800_000_000:  // years 1...9999
                Self.appendTimestamp(t, into: &buffer)
            case .decimal(let d) where d.scale > 0 && d.scale < 19 && d.unscaledInt64 != nil && d.unscaledInt64! != Int64.min:
                Self.appendDecimal(d.unscaledInt64!, scale: Int(d.scale), into: &buffer)
            default: PostgresCopyWriter.encode(v, into: &buffer)
            }
        }
        buffer.append(10)
        // Smaller chunks than `append` so the server starts parsing while the rest of a batch is still encoded.
        if buffer.count >= Self.fastChunk { try flush() }
    }

    /// One row in binary format. A value its column's type cannot hold exactly throws `.binaryUnsupported`; the
    /// COPY is then unusable (part of the row is in the buffer) and the caller aborts it.
    func appendBinary(_ row: [SQLValue], _ types: [PostgresBinaryType]) throws {
        PostgresBinaryEncoder.beginRow(fields: width, into: &buffer)
        for i in 0..<width where !PostgresBinaryEncoder.append(row[i], as: types[i], into: &buffer) {
            throw SQLError(.binaryUnsupported,
                "COPY column \(i + 1): a \(row[i].kindName) value has no binary form for a \(types[i]) column")
        }
        if buffer.count >= Self.fastChunk { try flush() }
    }

    @inline(__always)
    static func appendInt(_ v: Int64, into out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        appendUnsigned(v.magnitude, into: &out)
    }

    @inline(__always)
    static func appendUnsigned(_ v: UInt64, into out: inout [UInt8]) {
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
        var x = v
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            repeat {
                buf[23 - n] = UInt8(48 + x % 10)
                x /= 10
                n += 1
            } while x > 0
            out.append(contentsOf: buf[(24 - n)...])
        }
    }

    @inline(__always)
    static func appendPadded(_ v: Int, _ width: Int, into out: inout [UInt8]) {
        var div = 1
        for _ in 1..<width { div *= 10 }
        var x = v
        while div > 0 {
            out.append(UInt8(48 + (x / div) % 10))
            x %= div
            div /= 10
        }
    }

    /// `YYYY-MM-DD HH:MM:SS[.ffffff]` for years 1...9999.
    static func appendTimestamp(_ micros: Int64, into out: inout [UInt8]) {
        let (days, tod) = SQLTemporal.split(timestamp: micros)
        let c = SQLTemporal.civil(days: days)
        appendPadded(c.year, 4, into: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(c.month, 2, into: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(c.day, 2, into: &out)
        out.append(UInt8(ascii: " "))
        let secs = Int(tod / 1_000_000)
        appendPadded(secs / 3600, 2, into: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(secs / 60 % 60, 2, into: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(secs % 60, 2, into: &out)
        let frac = Int(tod % 1_000_000)
        if frac != 0 {
            out.append(UInt8(ascii: "."))
            appendPadded(frac, 6, into: &out)
        }
    }

    /// Plain notation of unscaled × 10^-scale (scale 1...18).
    static func appendDecimal(_ unscaled: Int64, scale: Int, into out: inout [UInt8]) {
        if unscaled < 0 { out.append(UInt8(ascii: "-")) }
        let m = unscaled.magnitude
        var p: UInt64 = 1
        for _ in 0..<scale { p *= 10 }
        appendUnsigned(m / p, into: &out)
        out.append(UInt8(ascii: "."))
        appendPadded(Int(m % p), scale, into: &out)
    }
}
