import Foundation
import SluiceAPI

/// The time zone that zone-less timestamps are read in (`parser.timestamp.timezone`).
///
/// Fixed offsets (`UTC`, `GMT`, `Z`, `+02:00`, `UTC+2`) convert with one subtraction; region names (`Europe/Berlin`)
/// go through Foundation so daylight-saving transitions are right.
struct ZoneRule: Sendable {
    private let fixedSeconds: Int?
    private let zone: TimeZone?

    init(_ name: String) throws {
        let t = name.trimmingCharacters(in: .whitespaces)
        let upper = t.uppercased()
        if ["UTC", "GMT", "Z", "UT", ""].contains(upper) { fixedSeconds = 0; zone = nil; return }
        var rest = Substring(upper)
        for prefix in ["UTC", "GMT", "UT"] where rest.hasPrefix(prefix) { rest = rest.dropFirst(prefix.count); break }
        if let f = rest.first, f == "+" || f == "-" {
            let digits = Array(rest.utf8)
            let off: Int? = digits.withUnsafeBufferPointer { buf in
                if let o = ISOTimestamp.offset(buf, from: 0) { return o }
                // `+2` / `-5`: whole hours with one digit
                if buf.count == 2, let h = CivilTime.digits(buf, 1, 1) { return (buf[0] == 45 ? -1 : 1) * h * 3600 }
                return nil
            }
            if let off { fixedSeconds = off; zone = nil; return }
        }
        guard let tz = TimeZone(identifier: t) else {
            throw ConnectError.invalidConfig("parser.timestamp.timezone", name, "Unknown time zone")
        }
        fixedSeconds = nil
        zone = tz
    }

    /// UTC epoch millis of a wall-clock time in this zone.
    func utcMillis(local: Int64) -> Int64 {
        if let fixedSeconds { return local - Int64(fixedSeconds) * 1000 }
        guard let zone else { return local }
        let guess = Date(timeIntervalSince1970: Double(local) / 1000)
        let off1 = zone.secondsFromGMT(for: guess)
        let off2 = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local) / 1000 - Double(off1)))
        return local - Int64(off2) * 1000
    }

    func resolve(_ p: ISOTimestamp.Parsed) -> Int64 {
        if let o = p.offsetSeconds { return p.localMillis - Int64(o) * 1000 }
        return utcMillis(local: p.localMillis)
    }
}
