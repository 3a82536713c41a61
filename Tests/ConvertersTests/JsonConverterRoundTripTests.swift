import JavaCompat
import SluiceAPI
import Testing

@testable import Converters

/// Serialize → parse gives back the same schema and value, for generated records of every type.
@Suite struct JsonConverterRoundTripTests {
    static let inner = SchemaBuilder.struct().name("rt.Inner").optional()
        .field("tags", SchemaBuilder.array(.optionalString).build())
        .field("attrs", SchemaBuilder.map(.string, .float64).build())
        .field("pairs", SchemaBuilder.map(.int16, .bytes).optional().build())
        .build()
    static let schema = SchemaBuilder.struct().name("rt.Record").version(4).doc("round \"trip\"").parameter("k", "v")
        .field("i8", .int8).field("i16", .int16).field("i32", .int32).field("i64", .int64)
        .field("f32", .float32).field("f64", .float64).field("b", .boolean).field("s", .string)
        .field("raw", .bytes).field("os", .optionalString)
        .field("d2", Logical.decimal(scale: 2)).field("d30", Logical.decimal(scale: 30, optional: true))
        .field("day", Logical.date).field("tod", Logical.time).field("ts", Logical.timestamp)
        .field("inner", inner)
        .field("withDefault", SchemaBuilder(type: .string).optional().defaultValue(.string("dflt")).build())
        .build()

    /// A deterministic pseudo-random generator so failures reproduce.
    struct LCG {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static func text(_ g: inout LCG) -> String {
        let alphabet = Array("aZ09 _-\"\\/\n\t\u{1}é€😀")
        return String((0..<g.int(12)).map { _ in alphabet[g.int(alphabet.count)] })
    }

    static func record(_ seed: UInt64) -> Value {
        var g = LCG(state: seed)
        let bigDigits = String((0..<40).map { _ in Character(String(g.int(10))) })
        let innerValue: Value =
            g.int(3) == 0
            ? .null
            : .structure(Struct(schema: inner, values: [
                .array((0..<g.int(4)).map { _ in g.int(2) == 0 ? .null : .string(text(&g)) }),
                .map((0..<g.int(3)).map { i in MapEntry(.string("k\(i)"), .float64(Double(Int64(bitPattern: g.next())) / 1e9)) }),
                g.int(2) == 0 ? .null : .map([MapEntry(.int16(Int16(truncatingIfNeeded: g.next())), .bytes((0..<g.int(9)).map { _ in UInt8(g.int(256)) }))]),
            ]))
        return .structure(Struct(schema: schema, values: [
            .int8(Int8(truncatingIfNeeded: g.next())), .int16(Int16(truncatingIfNeeded: g.next())),
            .int32(Int32(truncatingIfNeeded: g.next())), .int64(Int64(bitPattern: g.next() << 11)),
            .float32(Float(bitPattern: UInt32(truncatingIfNeeded: g.next()) & 0x7F7F_FFFF)),
            .float64(Double(bitPattern: (g.next() << 11) & 0x7FEF_FFFF_FFFF_FFFF) * (g.int(2) == 0 ? 1 : -1)),
            .boolean(g.int(2) == 0), .string(text(&g)),
            .bytes((0..<g.int(20)).map { _ in UInt8(g.int(256)) }),
            g.int(2) == 0 ? .null : .string(text(&g)),
            .decimal(ConnectDecimal(unscaled: Int64(bitPattern: g.next() << 11) / 1000, scale: 2)),
            g.int(2) == 0 ? .null : .decimal(ConnectDecimal((g.int(2) == 0 ? "-" : "") + bigDigits.prefix(10) + "." + bigDigits.suffix(30))!),
            .int32(Int32(g.int(40000)) - 20000), .int32(Int32(g.int(86_400_000))), .int64(Int64(g.int(4_000_000_000_000))),
            innerValue,
            .string(text(&g)),
        ]))
    }

    @Test(arguments: ["BASE64", "NUMERIC"])
    func generatedRecordsRoundTrip(_ format: String) throws {
        let c = try Golden.converter(["decimal.format": format])
        for seed in 1...300 {
            let v = JsonConverterRoundTripTests.record(UInt64(seed))
            let bytes = try c.fromConnectData(topic: "t", headers: nil, schema: JsonConverterRoundTripTests.schema, value: v)
            let back = try c.toConnectData(topic: "t", headers: nil, value: bytes)
            #expect(back.schema == JsonConverterRoundTripTests.schema)
            #expect(back.value == v, "seed \(seed): \(bytes?.utf8Text ?? "nil")")
            // Re-serializing what we parsed gives the same bytes (stable output, schema cache consistent).
            #expect(try c.fromConnectData(topic: "t", headers: nil, schema: back.schema, value: back.value) == bytes)
        }
    }

    @Test func schemaJSONRoundTripsThroughParser() throws {
        let c = try Golden.converter([:])
        let text = try c.schemaJSON(JsonConverterRoundTripTests.schema)
        #expect(try c.connectSchema(fromJSON: text) == JsonConverterRoundTripTests.schema)
        #expect(text.hasPrefix(#"{"type":"struct","fields":[{"type":"int8","optional":false,"field":"i8"}"#))
        #expect(text.hasSuffix(#"],"optional":false,"name":"rt.Record","version":4,"doc":"round \"trip\"","parameters":{"k":"v"}}"#))
    }

    @Test func javaDoubleLayoutMatchesReference() {
        var g = LCG(state: 42)
        var samples: [Double] = [1, 0.5, 1e-3, 9.999e-4, 1e7, 9_999_999.5, 123.456, 1e-300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1, 1e22, 1e21, 2e-7]
        for _ in 0..<5000 { samples.append(Double(bitPattern: g.next() << 11 | g.next() & 0x7FF)) }
        for _ in 0..<2000 { samples.append(Double(g.int(100_000_000)) / 1000) }
        for d in samples where d.isFinite {
            for v in [d, -d] {
                var out: [UInt8] = []
                JavaNumberText.appendDouble(v, into: &out)
                #expect(out.utf8Text == JSONWriter.javaDouble(v), "\(v)")
                var w = JSONWriter()
                JsonPayloadEncoder.writeDouble(v, into: &w)
                #expect(w.string == JSONWriter.javaDouble(v), "\(v)")
                let f = Float(v)
                if f.isFinite && f != 0 {
                    var fo: [UInt8] = []
                    JavaNumberText.appendFloat(f, into: &fo)
                    #expect(fo.utf8Text == JSONWriter.javaFloat(f), "\(f)")
                }
            }
        }
    }

    @Test func javaBigDecimalText() {
        let cases: [(Int64, Int32, String)] = [
            (156, 2, "1.56"), (15600, 4, "1.5600"), (-156, 2, "-1.56"), (1, 10, "1E-10"), (15, -2, "1.5E+3"),
            (0, 0, "0"), (0, 2, "0.00"), (0, -2, "0E+2"), (1, 6, "0.000001"), (1, 7, "1E-7"), (123, 8, "0.00000123"),
            (123, 9, "1.23E-7"), (-5, 0, "-5"), (12345, -1, "1.2345E+5"),
        ]
        for (u, s, want) in cases {
            #expect(ConnectDecimal(unscaled: u, scale: s).javaString == want)
        }
        #expect(ConnectDecimal("-1234567890123456789012345.67890")!.javaString == "-1234567890123456789012345.67890")
        #expect(ConnectDecimal("123456789012345678901234567890E-40")!.javaString == "1.23456789012345678901234567890E-11")
    }

    @Test func base64AgreesWithReferenceVectors() throws {
        let vectors: [(String, String)] = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in vectors {
            #expect(Base64.encodeToString(plain.bytes) == encoded)
            #expect(try Base64.decode(encoded.bytes) == plain.bytes)
        }
        #expect(try Base64.decode("Zm9v\nYmE".bytes) == "fooba".bytes)  // whitespace and missing padding tolerated
        #expect(throws: Base64.DecodeError.self) { try Base64.decode("Zm9v=Zm9v".bytes) }
        #expect(throws: Base64.DecodeError.self) { try Base64.decode("Z".bytes) }
        var g = LCG(state: 7)
        for n in 0..<200 {
            let data = (0..<n).map { _ in UInt8(g.int(256)) }
            #expect(try Base64.decode(Base64.encodeToString(data).bytes) == data)
        }
    }
}

@Suite struct FastNumberParsingTests {
    @Test func exactDoubleAgreesWithStandardParser() {
        var g = JsonConverterRoundTripTests.LCG(state: 99)
        var texts = ["0", "-0", "1", "0.1", "12.34", "-1428.5714285714287", "9007199254740991", "9007199254740993", "0.0000000000000000000001", "1.00000000000000000000001"]
        for _ in 0..<5000 {
            let digits = String(g.next() % 100_000_000_000_000)
            let cut = g.int(digits.count + 1)
            let text = cut == digits.count ? digits : String(digits.prefix(cut)) + "." + String(digits.dropFirst(cut))
            texts.append(g.int(2) == 0 ? text : "-" + text)
        }
        var fastCount = 0
        for t in texts {
            let bytes = t.bytes
            let fast = bytes.withUnsafeBufferPointer { JsonPayloadDecoder.exactDouble($0, 0, $0.count) }
            if let fast {
                fastCount += 1
                #expect(fast == Double(t), "\(t)")
            }
        }
        #expect(fastCount > 4000)  // the fast path is actually taken for ordinary literals
    }
}
