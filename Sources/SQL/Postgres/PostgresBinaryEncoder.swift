import SluiceAPI

/// PostgreSQL's binary COPY format, written without I/O so it can be tested byte by byte: the file header and
/// trailer, and each field as a big-endian int32 length (-1 for NULL) followed by the type's `*_send` layout.
///
/// `append(_:as:into:)` writes a value only when the column's type holds it exactly, the way the text path's server
/// conversion would (an integer into int2/int4/int8 within range or into numeric, a Float into float4, text into
/// text/json, ...). For anything else it returns false and writes nothing, and the caller falls back to text COPY,
/// where the server converts or reports the error it always did.
public enum PostgresBinaryEncoder {
    /// `PGCOPY\n\377\r\n\0`, flags 0, header extension length 0.
    public static let header: [UInt8] = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00,
                                         0, 0, 0, 0, 0, 0, 0, 0]
    /// A field count of -1 ends the data.
    public static let trailer: [UInt8] = [0xFF, 0xFF]

    /// Microseconds from 1970-01-01 (Sluice's epoch) to 2000-01-01 (PostgreSQL's).
    static let epochShiftMicros: Int64 = 946_684_800_000_000
    /// Days from 1970-01-01 to 2000-01-01.
    static let epochShiftDays: Int32 = 10_957

    /// Starts a row of `fields` fields.
    @inline(__always)
    public static func beginRow(fields: Int, into out: inout [UInt8]) {
        appendBE(UInt16(truncatingIfNeeded: fields), into: &out)
    }

    /// Appends one field; false (nothing appended) when `value` does not fit `type` exactly.
    public static func append(_ value: SQLValue, as type: PostgresBinaryType, into out: inout [UInt8]) -> Bool {
        switch (type, value) {
        case (_, .null):
            appendBE(UInt32.max, into: &out)  // -1
        case (.int8, .int(let v)):
            appendBE(UInt32(8), into: &out)
            appendBE(UInt64(bitPattern: v), into: &out)
        case (.int4, .int(let v)):
            guard let n = Int32(exactly: v) else { return false }
            appendBE(UInt32(4), into: &out)
            appendBE(UInt32(bitPattern: n), into: &out)
        case (.int2, .int(let v)):
            guard let n = Int16(exactly: v) else { return false }
            appendBE(UInt32(2), into: &out)
            appendBE(UInt16(bitPattern: n), into: &out)
        case (.float4, .float(let f)):
            appendBE(UInt32(4), into: &out)
            appendBE(f.bitPattern, into: &out)
        case (.float8, .double(let d)):
            appendBE(UInt32(8), into: &out)
            appendBE(d.bitPattern, into: &out)
        case (.bool, .bool(let b)):
            appendBE(UInt32(1), into: &out)
            out.append(b ? 1 : 0)
        case (.numeric, .decimal(let d)) where d.scale >= -1000 && d.scale <= 1000:
            appendNumeric(d, into: &out)
        case (.numeric, .int(let v)):
            appendNumeric(negative: v < 0, magnitude: v.magnitude, scale: 0, into: &out)
        case (.text, .text(let s)), (.text, .json(let s)), (.json, .json(let s)), (.json, .text(let s)):
            appendText(s, prefix: nil, into: &out)
        case (.jsonb, .json(let s)), (.jsonb, .text(let s)):
            appendText(s, prefix: 1, into: &out)  // jsonb's binary input: version 1, then the JSON text
        case (.bytea, .bytes(let b)):
            guard b.count <= Int32.max else { return false }
            appendBE(UInt32(b.count), into: &out)
            out.append(contentsOf: b)
        case (.date, .date(let days)):
            let (d, overflow) = days.subtractingReportingOverflow(epochShiftDays)
            guard !overflow else { return false }
            appendBE(UInt32(4), into: &out)
            appendBE(UInt32(bitPattern: d), into: &out)
        case (.time, .time(let micros)):
            appendBE(UInt32(8), into: &out)
            appendBE(UInt64(bitPattern: micros), into: &out)
        case (.timestamp, .timestamp(let micros)), (.timestamptz, .timestamp(let micros)):
            let (t, overflow) = micros.subtractingReportingOverflow(epochShiftMicros)
            guard !overflow else { return false }
            appendBE(UInt32(8), into: &out)
            appendBE(UInt64(bitPattern: t), into: &out)
        default:
            return false
        }
        return true
    }

    static func appendText(_ s: String, prefix: UInt8?, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { u in
            appendBE(UInt32(u.count + (prefix == nil ? 0 : 1)), into: &out)
            if let prefix { out.append(prefix) }
            out.append(contentsOf: u)
        }
    }

    // MARK: numeric

    static func appendNumeric(_ d: ConnectDecimal, into out: inout [UInt8]) {
        if let u = d.unscaledInt64 {
            appendNumeric(negative: u < 0, magnitude: u.magnitude, scale: Int(d.scale), into: &out)
        } else {
            var digits = Array(d.unscaledString.utf8)
            let negative = digits.first == UInt8(ascii: "-")
            if negative { digits.removeFirst() }
            appendNumeric(negative: negative, digits: digits.map { $0 &- 48 }, scale: Int(d.scale), into: &out)
        }
    }

    /// A decimal whose unscaled value fits 64 bits: its digits are made on the stack, without allocating.
    static func appendNumeric(negative: Bool, magnitude: UInt64, scale: Int, into out: inout [UInt8]) {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes, enough for 20 digits
        withUnsafeMutableBytes(of: &scratch) { buf in
            var x = magnitude
            var n = 0
            repeat {
                buf[23 - n] = UInt8(x % 10)
                x /= 10
                n += 1
            } while x > 0
            appendNumeric(negative: negative, digits: UnsafeRawBufferPointer(rebasing: buf[(24 - n)...]),
                scale: scale, into: &out)
        }
    }

    /// numeric_send's layout: ndigits, weight, sign, dscale (int16 each), then ndigits base-10000 digits, most
    /// significant first; `weight` is the power of 10000 of the first digit. Trailing zero digits are left out and
    /// zero has no digits, as the server itself stores them. `digits` are 0...9 values, most significant first.
    static func appendNumeric<D: Collection<UInt8>>(negative: Bool, digits: D, scale: Int, into out: inout [UInt8])
    where D.Index == Int {
        // A negative scale means trailing zeros of the integer: they are digits at scale 0. Otherwise the digits are
        // padded with zeros on the right to a whole number of 4-digit fraction groups.
        let zerosRight = scale < 0 ? -scale : (4 - scale % 4) % 4
        let dscale = max(scale, 0)
        let fractionGroups = scale < 0 ? 0 : (scale + zerosRight) / 4
        let total = digits.count + zerosRight
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: (total + 3) / 4) { groups in
            // groups[0] is the least significant group of 4 digits.
            var count = 0
            var acc = 0
            var mul = 1
            let lastIndex = digits.startIndex + digits.count - 1
            for i in 0..<total {
                if i >= zerosRight { acc += Int(digits[lastIndex - (i - zerosRight)]) * mul }
                mul *= 10
                if mul == 10_000 || i == total - 1 {
                    groups[count] = UInt16(acc)
                    count += 1
                    acc = 0
                    mul = 1
                }
            }
            // Leading (most significant) zero groups lower the weight; trailing ones are just left out.
            var weight = count - 1 - fractionGroups
            while count > 0 && groups[count - 1] == 0 { count -= 1; weight -= 1 }
            var low = 0
            while low < count && groups[low] == 0 { low += 1 }
            let ndigits = count - low
            appendBE(UInt32(8 + 2 * ndigits), into: &out)
            appendBE(UInt16(ndigits), into: &out)
            appendBE(UInt16(bitPattern: Int16(truncatingIfNeeded: ndigits == 0 ? 0 : weight)), into: &out)
            appendBE(UInt16(negative && ndigits > 0 ? 0x4000 : 0), into: &out)
            appendBE(UInt16(truncatingIfNeeded: dscale), into: &out)
            var g = count - 1
            while g >= low { appendBE(groups[g], into: &out); g -= 1 }
        }
    }

    // MARK: big-endian integers

    @inline(__always)
    static func appendBE(_ v: UInt16, into out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: v >> 8))
        out.append(UInt8(truncatingIfNeeded: v))
    }

    @inline(__always)
    static func appendBE(_ v: UInt32, into out: inout [UInt8]) {
        withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) }
    }

    @inline(__always)
    static func appendBE(_ v: UInt64, into out: inout [UInt8]) {
        withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) }
    }
}
