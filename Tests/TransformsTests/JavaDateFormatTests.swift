import JavaCompat
import SluiceAPI
import Testing
@testable import Transforms

@Suite struct JavaDateFormatTests {
    // 2017-01-03T06:30:01.864Z (Kafka's TimestampRouterTest timestamp).
    let ts: Int64 = 1_483_425_001_864

    @Test func formatsCommonPatterns() throws {
        #expect(try JavaDateFormat("yyyyMMdd").format(epochMillis: ts) == "20170103")
        #expect(try JavaDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").format(epochMillis: ts) == "2017-01-03T06:30:01.864Z")
        #expect(try JavaDateFormat("yyyy-MM-dd HH:mm:ss.SSSZ").format(epochMillis: ts) == "2017-01-03 06:30:01.864+0000")
        #expect(try JavaDateFormat("yyyy-MM-dd'T'HH:mm:ssXXX").format(epochMillis: ts) == "2017-01-03T06:30:01Z")
        #expect(try JavaDateFormat("yyyy MM dd HH mm ss SSS z").format(epochMillis: 86_401_000) == "1970 01 02 00 00 01 000 UTC")
        #expect(try JavaDateFormat("yy-M-d h:mm a").format(epochMillis: ts) == "17-1-3 6:30 AM")
        #expect(try JavaDateFormat("EEE, d MMM yyyy").format(epochMillis: ts) == "Tue, 3 Jan 2017")
        #expect(try JavaDateFormat("EEEE MMMM").format(epochMillis: ts) == "Tuesday January")
        #expect(try JavaDateFormat("'week''s' D u k K").format(epochMillis: ts) == "week's 3 2 6 6")
        #expect(try JavaDateFormat("S").format(epochMillis: 5) == "5")
    }

    @Test func formatsBeforeEpochAndLeapDays() throws {
        let f = try JavaDateFormat("yyyy-MM-dd HH:mm:ss.SSS")
        #expect(f.format(epochMillis: -1) == "1969-12-31 23:59:59.999")
        #expect(f.format(epochMillis: 951_782_400_000) == "2000-02-29 00:00:00.000")
    }

    @Test func parsesWhatItFormats() throws {
        for pattern in ["yyyyMMdd", "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", "yyyy-MM-dd HH:mm:ss.SSSZ", "dd MMM yyyy HH:mm:ss.SSS",
                        "EEEE, MMMM d, yyyy h:mm:ss.SSS a"] {
            let f = try JavaDateFormat(pattern)
            let text = f.format(epochMillis: ts)
            let back = try f.parse(text)
            let precision: Int64 = pattern == "yyyyMMdd" ? CivilCalendar.millisPerDay : 1
            #expect(back == ts / precision * precision, "\(pattern): \(text)")
        }
    }

    @Test func parsesZonesAndLenientFields() throws {
        let z = try JavaDateFormat("yyyy-MM-dd'T'HH:mm:ssZ")
        #expect(try z.parse("2017-01-03T08:30:01+0200") == 1_483_425_001_000)
        let x = try JavaDateFormat("yyyy-MM-dd'T'HH:mm:ssXXX")
        #expect(try x.parse("2017-01-03T01:30:01-05:00") == 1_483_425_001_000)
        #expect(try x.parse("2017-01-03T06:30:01Z") == 1_483_425_001_000)
        // Variable-width numbers when not abutting, month 13 rolls over, trailing text ignored (DateFormat.parse).
        let d = try JavaDateFormat("yyyy-MM-dd")
        #expect(try d.parse("2017-1-3") == 1_483_401_600_000)
        #expect(try d.parse("2016-13-03") == 1_483_401_600_000)
        #expect(try d.parse("2017-01-03 and more") == 1_483_401_600_000)
    }

    @Test func rejectsBadPatternsAndText() throws {
        #expect(TestRecords.connectError { _ = try JavaDateFormat("yyyy-qq") }?.message.contains("Illegal pattern character 'q'") == true)
        #expect(TestRecords.connectError { _ = try JavaDateFormat("yyyy'T") }?.message.contains("Unterminated quote") == true)
        let f = try JavaDateFormat("yyyy-MM-dd")
        #expect(TestRecords.connectError { _ = try f.parse("03/01/2017") }?.message == "Unparseable date: \"03/01/2017\"")
    }

    @Test func civilCalendarRoundTrips() {
        for days: Int64 in [-719_468, -1, 0, 1, 59, 11_016, 17_169, 2_932_896] {
            let (y, m, d) = CivilCalendar.civil(days: days)
            #expect(CivilCalendar.days(year: y, month: m, day: d) == days)
        }
        let c = CivilCalendar.civil(days: 17_169)
        #expect(c.year == 2017 && c.month == 1 && c.day == 3)
    }
}

extension JavaDateFormatTests {
    /// Any text gives a date or an error, never a crash (overflowing lenient fields included).
    @Test func arbitraryTextNeverCrashes() throws {
        var rng = SplitMix64(seed: 0x5eed)
        let alphabet = Array("0123456789-:+TZ .'aAMPJanuaryUTCGMT".utf8)
        let formats = try ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "yyyyMMddHHmmssSSS", "EEE, d MMM yyyy HH:mm:ss Z", "D h a z", "G yy"]
            .map { try JavaDateFormat($0) }
        for _ in 0..<5_000 {
            let length = Int(rng.next() % 40)
            let bytes = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let text = String(decoding: bytes, as: UTF8.self)
            for f in formats { _ = try? f.parse(text) }
        }
        let f = try JavaDateFormat("yyyy-MM-dd")
        // Lenient fields beyond Int64 milliseconds are an error, not an overflow trap.
        #expect(TestRecords.connectError { _ = try f.parse("999999999-999999999-999999999") }?.message.hasPrefix("Unparseable date") == true)
        #expect(try f.parse("1970-1-999999999") == 999_999_998 * CivilCalendar.millisPerDay)
        #expect(LiteralValueParser.parse("1e2000000000").schema == .string)
    }
}

/// A tiny deterministic generator for the robustness tests.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
