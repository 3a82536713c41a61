import SluiceAPI
import Testing
@testable import Transforms

/// RegexRouter, TimestampRouter and TimestampConverter.
@Suite struct RoutingAndTimeTests {
    /// Kafka RegexRouterTest cases.
    @Test func regexRouter() throws {
        func route(_ regex: String, _ replacement: String, _ topic: String) throws -> String? {
            let t = try TestRecords.configured(RegexRouter(), ["regex": regex, "replacement": replacement])
            return try t.apply(TestRecords.sink(topic: topic, schema: nil, value: .null))?.topic
        }
        #expect(try route("foo", "bar", "foo") == "bar")
        #expect(try route("foo", "bar", "orig") == "orig")
        #expect(try route("(.*)", "$1", "orig") == "orig")
        #expect(try route("(.*)", "prefix-$1", "orig") == "prefix-orig")
        #expect(try route("(.*)", "$1-suffix", "orig") == "orig-suffix")
        #expect(try route("(.*)-(\\d\\d\\d\\d\\d\\d\\d\\d)", "$1", "index-20160117") == "index")
        // Kafka docs: strip a prefix.
        #expect(try route("soe-(.*)", "$1", "soe-Order") == "Order")
        #expect(try route("(?<db>[a-z]+)\\.(?<table>.*)", "${table}_\\$", "shop.orders") == "orders_$")
    }

    @Test func regexRouterErrors() throws {
        let bad = TestRecords.connectError { _ = try TestRecords.configured(RegexRouter(), ["regex": "(unclosed", "replacement": "x"]) }
        #expect(bad?.message.contains("regex") == true)
        #expect(bad?.code == .config)
        let missing = TestRecords.connectError { _ = try TestRecords.configured(RegexRouter(), ["regex": "a"]) }
        #expect(missing?.message.contains("\"replacement\"") == true)
        let dangling = TestRecords.connectError { _ = try TestRecords.configured(RegexRouter(), ["regex": "(a)", "replacement": "x$"]) }
        #expect(dangling?.message.contains("replacement") == true)
    }

    /// Kafka TimestampRouterTest: timestamp 1483425001864 → `test-20170103`.
    @Test func timestampRouter() throws {
        let t = try TestRecords.configured(TimestampRouter(), [:])
        #expect(try t.apply(TestRecords.sink(topic: "test", schema: nil, value: .null, timestamp: 1_483_425_001_864))?.topic == "test-20170103")
        let custom = try TestRecords.configured(TimestampRouter(), ["topic.format": "foo-${topic}-${timestamp}", "timestamp.format": "YYYY.MM"])
        #expect(try custom.apply(TestRecords.sink(topic: "t", schema: nil, value: .null, timestamp: 1_483_425_001_864))?.topic == "foo-t-2017.01")
        let e = TestRecords.connectError { _ = try t.apply(TestRecords.sink(schema: nil, value: .null, timestamp: nil)) }
        #expect(e?.message.hasPrefix("Timestamp missing on record") == true)
        let badFormat = TestRecords.connectError { _ = try TestRecords.configured(TimestampRouter(), ["timestamp.format": "yyyy-bb"]) }
        #expect(badFormat?.message.contains("timestamp.format") == true)
    }

    // Kafka TimestampConverterTest constants: 1970-01-02 00:00:01 UTC.
    static let datePlusTime: Int64 = 86_401_000
    static let stringFormat = "yyyy MM dd HH mm ss SSS z"
    static let datePlusTimeString = "1970 01 02 00 00 01 000 UTC"

    @Test func timestampConverterWholeValueWithSchema() throws {
        func convert(_ target: String, schema: Schema, value: Value, extra: [String: String] = [:]) throws -> SinkRecord? {
            var props = ["target.type": target, "format": Self.stringFormat]
            props.merge(extra) { $1 }
            let t = try TestRecords.configured(TimestampConverter(.value), props)
            return try t.apply(TestRecords.sink(schema: schema, value: value))
        }
        let fromTs = (Logical.timestamp, Value.int64(Self.datePlusTime))
        #expect(try convert("Timestamp", schema: fromTs.0, value: fromTs.1)?.value == .int64(Self.datePlusTime))
        let date = try #require(try convert("Date", schema: fromTs.0, value: fromTs.1))
        #expect(date.valueSchema == Logical.date && date.value == .int32(1))
        let time = try #require(try convert("Time", schema: fromTs.0, value: fromTs.1))
        #expect(time.valueSchema == Logical.time && time.value == .int32(1000))
        let unix = try #require(try convert("unix", schema: fromTs.0, value: fromTs.1))
        #expect(unix.valueSchema == .int64 && unix.value == .int64(Self.datePlusTime))
        let string = try #require(try convert("string", schema: fromTs.0, value: fromTs.1))
        #expect(string.valueSchema == .string && string.value == .string(Self.datePlusTimeString))
        let parsed = try #require(try convert("Timestamp", schema: .string, value: .string(Self.datePlusTimeString)))
        #expect(parsed.valueSchema == Logical.timestamp && parsed.value == .int64(Self.datePlusTime))
        let seconds = try #require(try convert("unix", schema: fromTs.0, value: fromTs.1, extra: ["unix.precision": "seconds"]))
        #expect(seconds.value == .int64(86_401))
        let fromMicros = try #require(try convert("Timestamp", schema: .int64, value: .int64(86_401_000_123), extra: ["unix.precision": "microseconds"]))
        #expect(fromMicros.value == .int64(86_401_000))
        let fromDate = try #require(try convert("Timestamp", schema: Logical.optionalDate, value: .int32(1)))
        #expect(fromDate.value == .int64(86_400_000) && fromDate.valueSchema == Logical.optionalTimestamp)
    }

    @Test func timestampConverterFieldWithSchemaAndSchemaless() throws {
        let t = try TestRecords.configured(TimestampConverter(.value), ["field": "ts", "target.type": "string", "format": "yyyy-MM-dd"])
        let schema = SchemaBuilder.struct().field("id", .int32).field("ts", Logical.optionalTimestamp).build()
        let out = try #require(try t.apply(TestRecords.sink(schema: schema, value: TestRecords.structValue(schema, ["id": .int32(1), "ts": .int64(1_483_425_001_864)]))))
        #expect(out.valueSchema?.field("ts")?.schema == .optionalString)
        #expect(out.value[field: "ts"] == .string("2017-01-03") && out.value[field: "id"] == .int32(1))
        let nullTs = try #require(try t.apply(TestRecords.sink(schema: schema, value: TestRecords.structValue(schema, ["id": .int32(2)]))))
        #expect(nullTs.value[field: "ts"] == .null)

        let schemaless = try TestRecords.configured(TimestampConverter(.value), ["field": "ts", "target.type": "Timestamp", "format": "yyyy-MM-dd"])
        let m = try #require(try schemaless.apply(TestRecords.sink(schema: nil, value: TestRecords.map(["ts": .string("2017-01-03"), "x": .int64(1)]))))
        #expect(m.value == TestRecords.map(["ts": .int64(1_483_401_600_000), "x": .int64(1)]))
        let fromUnix = try TestRecords.configured(TimestampConverter(.key), ["target.type": "string", "format": "yyyyMMdd"])
        #expect(try fromUnix.apply(TestRecords.sink(key: .int64(1_483_425_001_864), schema: nil, value: .null))?.key == .string("20170103"))
    }

    @Test func timestampConverterErrors() throws {
        let noFormat = TestRecords.connectError { _ = try TestRecords.configured(TimestampConverter(.value), ["target.type": "string"]) }
        #expect(noFormat?.message == "TimestampConverter requires format option to be specified when using string timestamps")
        let badType = TestRecords.connectError { _ = try TestRecords.configured(TimestampConverter(.value), ["target.type": "epoch"]) }
        #expect(badType?.message.contains("target.type") == true)
        let badPattern = TestRecords.connectError { _ = try TestRecords.configured(TimestampConverter(.value), ["target.type": "unix", "format": "yyyy-qq"]) }
        #expect(badPattern?.message.contains("format") == true)
        let t = try TestRecords.configured(TimestampConverter(.value), ["target.type": "unix", "format": "yyyy-MM-dd"])
        let unparseable = TestRecords.connectError { _ = try t.apply(TestRecords.sink(schema: .string, value: .string("Jan 3"))) }
        #expect(unparseable?.message == "Could not parse timestamp: value (Jan 3) does not match pattern (yyyy-MM-dd)")
        let wrongSchema = TestRecords.connectError { _ = try t.apply(TestRecords.sink(schema: .boolean, value: .boolean(true))) }
        #expect(wrongSchema?.message.contains("does not correspond to a known timestamp type format") == true)
        let wrongValue = TestRecords.connectError { _ = try t.apply(TestRecords.sink(schema: nil, value: .boolean(true))) }
        #expect(wrongValue?.message == "TimestampConverter does not support Boolean objects as timestamps")
    }
}
