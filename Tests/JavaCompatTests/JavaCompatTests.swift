import Foundation
import JavaCompat
import SluiceAPI
import Testing

/// The Java-compatible pieces every plugin shares: base64, the proleptic Gregorian calendar, and Java's `toString`.
@Suite struct Base64Tests {
    @Test func encodesRFC4648Vectors() throws {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64.encodeToString(Array(plain.utf8)) == encoded)
            #expect(try Base64.decode(Array(encoded.utf8)) == Array(plain.utf8))
        }
    }

    @Test func matchesFoundationOnRandomBytes() throws {
        var rng = SystemRandomNumberGenerator()
        for n in 0..<200 {
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let text = Base64.encodeToString(bytes)
            #expect(text == Data(bytes).base64EncodedString())
            #expect(try Base64.decode(Array(text.utf8)) == bytes)
        }
    }

    @Test func decodingAcceptsWhitespaceAndMissingPaddingButNamesBadInput() throws {
        #expect(try Base64.decode(Array("Zm9v\nYg".utf8)) == Array("foob".utf8))
        #expect(throws: Base64.DecodeError.self) { try Base64.decode(Array("Zm9v!".utf8)) }
        #expect(throws: Base64.DecodeError.self) { try Base64.decode(Array("Z".utf8)) }
        #expect(throws: Base64.DecodeError.self) { try Base64.decode(Array("Zg==Zg".utf8)) }
        do {
            _ = try Base64.decode(Array("ab$c".utf8))
            Issue.record("accepted '$'")
        } catch {
            #expect(error.message.contains("'$'"))
        }
    }
}

@Suite struct CivilCalendarTests {
    @Test func knownDays() {
        #expect(CivilCalendar.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilCalendar.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilCalendar.days(year: 1969, month: 12, day: 31) == -1)
        #expect(CivilCalendar.days(year: 0, month: 1, day: 1) == -719_528)  // 1 BC, as java.time's year 0
        #expect(CivilCalendar.epochDays(year: 2024, month: 2, day: 29) == 19_782)
    }

    @Test func lenientFieldsRollOver() {
        #expect(CivilCalendar.days(year: 2023, month: 13, day: 1) == CivilCalendar.days(year: 2024, month: 1, day: 1))
        #expect(CivilCalendar.days(year: 2024, month: 3, day: 0) == CivilCalendar.days(year: 2024, month: 2, day: 29))
        #expect(CivilCalendar.days(year: 2024, month: 0, day: 1) == CivilCalendar.days(year: 2023, month: 12, day: 1))
    }

    @Test func civilIsTheInverseOfDaysAcrossEras() {
        var day: Int64 = -1_000_000
        while day <= 1_000_000 {
            let c = CivilCalendar.civil(days: day)
            #expect(CivilCalendar.isValidDate(Int(c.year), Int(c.month), Int(c.day)))
            #expect(CivilCalendar.days(year: c.year, month: c.month, day: c.day) == day)
            day += 997
        }
    }

    @Test func agreesWithGmtime() {
        for seconds in stride(from: Int64(-5_000_000_000), through: 5_000_000_000, by: 86_400 * 37 + 12_345) {
            var t = time_t(seconds)
            var tm = tm()
            gmtime_r(&t, &tm)
            let c = CivilDateTime(epochMillis: seconds * 1000)
            #expect(c.year == Int(tm.tm_year) + 1900 && c.month == Int(tm.tm_mon) + 1 && c.day == Int(tm.tm_mday))
            #expect(c.hour == Int(tm.tm_hour) && c.minute == Int(tm.tm_min) && c.second == Int(tm.tm_sec))
            #expect(CivilCalendar.isoWeekday(days: c.days) % 7 == Int64(tm.tm_wday))
        }
    }

    @Test func validityLeapYearsAndFloorArithmetic() {
        #expect(CivilCalendar.isValidDate(2024, 2, 29))
        #expect(!CivilCalendar.isValidDate(2023, 2, 29))
        #expect(!CivilCalendar.isValidDate(1900, 2, 29))
        #expect(CivilCalendar.isValidDate(2000, 2, 29))
        #expect(!CivilCalendar.isValidDate(2024, 4, 31))
        #expect(!CivilCalendar.isValidDate(2024, 13, 1))
        #expect(CivilCalendar.floorDiv(-1, 86_400_000) == -1)
        #expect(CivilCalendar.floorMod(-1, 86_400_000) == 86_399_999)
        let before = CivilDateTime(epochMillis: -1)
        let fields: [Int] = [before.year, before.month, before.day, before.hour, before.minute, before.second, before.millisecond]
        #expect(fields == [1969, 12, 31, 23, 59, 59, 999])
    }
}

@Suite struct JavaTextTests {
    @Test func dateToStringInUTC() {
        #expect(JavaText.dateString(epochMillis: 0) == "Thu Jan 01 00:00:00 UTC 1970")
        #expect(JavaText.dateString(epochMillis: -1) == "Wed Dec 31 23:59:59 UTC 1969")
        #expect(JavaText.dateString(epochMillis: 1_709_210_096_000) == "Thu Feb 29 12:34:56 UTC 2024")
    }

    @Test func valuesPrintLikeJavaToString() throws {
        let schema = SchemaBuilder.struct().field("id", .int32).field("name", .optionalString).field("score", .float64).build()
        var s = Struct(schema: schema)
        try s.put("id", .int32(7))
        try s.put("score", .float64(1.5))
        #expect(JavaText.toString(.structure(s), schema: schema) == "Struct{id=7,score=1.5}")
        #expect(JavaText.toString(.map([MapEntry(.string("k"), .int32(1)), MapEntry(.string("j"), .null)])) == "{k=1, j=null}")
        #expect(JavaText.toString(.array([.int64(1), .boolean(false)])) == "[1, false]")
        #expect(JavaText.toString(.float64(1e10)) == "1.0E10")
        #expect(JavaText.toString(.float32(0.1)) == "0.1")
        #expect(JavaText.toString(.int64(.min)) == "-9223372036854775808")
        #expect(JavaText.toString(.int8(-5)) == "-5")
        #expect(JavaText.toString(.int32(18), schema: Logical.date()) == "Mon Jan 19 00:00:00 UTC 1970")
        #expect(JavaText.toString(.int64(86_400_000), schema: Logical.timestamp()) == "Fri Jan 02 00:00:00 UTC 1970")
    }

    @Test func bytesPrintAsTheCallerChooses() {
        #expect(JavaText.toString(.bytes(Array("hi".utf8))) == "aGk=")
        #expect(JavaText.toString(.bytes(Array("hi".utf8)), bytes: .utf8) == "hi")
        #expect(JavaText.toString(.array([.bytes([0xFF])]), bytes: .base64) == "[/w==]")
    }

    @Test func decimalsPrintLikeBigDecimalToString() {
        #expect(JavaText.toString(.decimal(ConnectDecimal(unscaled: 12345, scale: 2))) == "123.45")
        #expect(JavaText.toString(.decimal(ConnectDecimal(unscaled: 1, scale: 3))) == "0.001")
        #expect(JavaText.toString(.decimal(ConnectDecimal(unscaled: 1, scale: -3))) == "1E+3")
        #expect(JavaText.toString(.decimal(ConnectDecimal(unscaled: 15, scale: 10))) == "1.5E-9")
        #expect(JavaText.toString(.decimal(ConnectDecimal(unscaled: -5, scale: 0))) == "-5")
    }
}
