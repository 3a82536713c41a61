import SluiceAPI
import Testing
@testable import Transforms

@Suite struct PredicateTests {
    @Test func hasHeaderKey() throws {
        let p = try TestRecords.configured(HasHeaderKey(), ["name": "foo"])
        #expect(p.test(TestRecords.sink(schema: nil, value: .null, headers: [.string("foo", "1")])))
        #expect(!p.test(TestRecords.sink(schema: nil, value: .null, headers: [.string("bar", "1")])))
        #expect(!p.test(TestRecords.sink(schema: nil, value: .null)))
        #expect(TestRecords.connectError { _ = try TestRecords.configured(HasHeaderKey(), [:]) }?.message.contains("\"name\"") == true)
        #expect(TestRecords.connectError { _ = try TestRecords.configured(HasHeaderKey(), ["name": ""]) }?.message.contains("name") == true)
    }

    @Test func topicNameMatchesWholeName() throws {
        let p = try TestRecords.configured(TopicNameMatches(), ["pattern": "my-prefix-.*"])
        #expect(p.test(TestRecords.sink(topic: "my-prefix-orders", schema: nil, value: .null)))
        #expect(!p.test(TestRecords.sink(topic: "x-my-prefix-orders", schema: nil, value: .null)))
        #expect(p.test(TestRecords.source(topic: "my-prefix-", schema: nil, value: .null)))
        let bad = TestRecords.connectError { _ = try TestRecords.configured(TopicNameMatches(), ["pattern": "[unclosed"]) }
        #expect(bad?.message.contains("pattern") == true)
        #expect(TestRecords.connectError { _ = try TestRecords.configured(TopicNameMatches(), [:]) }?.message.contains("\"pattern\"") == true)
    }

    @Test func recordIsTombstone() throws {
        let p = try TestRecords.configured(RecordIsTombstone(), [:])
        #expect(p.test(TestRecords.sink(schema: .optionalString, value: .null)))
        #expect(!p.test(TestRecords.sink(schema: .string, value: .string(""))))
    }

    /// The usual pairing: Filter behind a predicate drops exactly the matching records.
    @Test func filterDropsEverything() throws {
        let f = try TestRecords.configured(Filter(), [:])
        #expect(try f.apply(TestRecords.sink(schema: nil, value: .string("x"))) == nil)
    }
}
