import SluiceAPI
import Testing
@testable import Transforms

@Suite struct TransformPluginsTests {
    /// A minimal valid configuration for every plugin, by simple class name.
    static let minimal: [String: [String: String]] = [
        "Cast": ["spec": "a:string"], "ExtractField": ["field": "a"], "Flatten": [:],
        "HeaderFrom": ["fields": "a", "headers": "h", "operation": "copy"], "HoistField": ["field": "a"],
        "InsertField": ["topic.field": "t"], "MaskField": ["fields": "a"], "ReplaceField": [:],
        "SetSchemaMetadata": ["schema.name": "n"], "TimestampConverter": ["target.type": "unix"],
        "DropHeaders": ["headers": "h"], "Filter": [:], "InsertHeader": ["header": "h", "value.literal": "v"],
        "RegexRouter": ["regex": "(.*)", "replacement": "$1"], "TimestampRouter": [:], "ValueToKey": ["fields": "a"],
        "HasHeaderKey": ["name": "h"], "RecordIsTombstone": [:], "TopicNameMatches": ["pattern": ".*"],
        "ExtractNewRecordState": [:],
    ]

    static func simpleName(_ className: String) -> String {
        let last = className.split(separator: ".").last.map(String.init) ?? className
        return last.split(separator: "$").first.map(String.init) ?? last
    }

    @Test func listsEveryPluginOnce() {
        let names = TransformPlugins.all.map(\.className)
        #expect(names.count == 30)
        #expect(Set(names).count == names.count)
        for expected in [
            "org.apache.kafka.connect.transforms.Cast$Key", "org.apache.kafka.connect.transforms.Cast$Value",
            "org.apache.kafka.connect.transforms.TimestampConverter$Value", "org.apache.kafka.connect.transforms.RegexRouter",
            "org.apache.kafka.connect.transforms.predicates.TopicNameMatches", "io.debezium.transforms.ExtractNewRecordState",
        ] {
            #expect(names.contains(expected), "\(expected)")
        }
        #expect(TransformPlugins.all.filter { $0.type == .predicate }.count == 3)
        #expect(TransformPlugins.descriptor(named: "io.debezium.transforms.ExtractNewRecordState")?.version == "3.0.7.Final")
        #expect(TransformPlugins.descriptor(named: "org.apache.kafka.connect.transforms.Flatten$Key")?.version == "3.9.0")
    }

    @Test func everyFactoryConfiguresWithMinimalConfigAndValidates() throws {
        for d in TransformPlugins.all {
            let props = try #require(Self.minimal[Self.simpleName(d.className)], "\(d.className)")
            #expect(d.configDef.validate(props).allSatisfy { $0.errors.isEmpty }, "\(d.className)")
            switch d.factory {
            case .transformation(let make):
                try make().configure(props)
            case .predicate(let make):
                try make().configure(props)
            default:
                Issue.record("unexpected plugin type for \(d.className)")
            }
        }
    }

    /// REST `config/validate` names the key for a missing value, a wrong type and a bad regex.
    @Test func validationNamesTheKey() throws {
        func errors(_ className: String, _ props: [String: String]) -> [String: [String]] {
            let d = TransformPlugins.descriptor(named: className)!
            var out: [String: [String]] = [:]
            for info in d.configDef.validate(props) where !info.errors.isEmpty { out[info.name] = info.errors }
            return out
        }
        #expect(errors("org.apache.kafka.connect.transforms.RegexRouter", ["replacement": "x"])["regex"] != nil)
        #expect(errors("org.apache.kafka.connect.transforms.RegexRouter", ["regex": "(", "replacement": "x"])["regex"]?.first?.contains("Invalid regex") == true)
        #expect(errors("org.apache.kafka.connect.transforms.SetSchemaMetadata$Value", ["schema.version": "one"])["schema.version"] != nil)
        #expect(errors("org.apache.kafka.connect.transforms.Cast$Value", ["spec": "a:nope"])["spec"] != nil)
        #expect(errors("org.apache.kafka.connect.transforms.predicates.TopicNameMatches", ["pattern": "[a"])["pattern"] != nil)
        #expect(errors("org.apache.kafka.connect.transforms.HeaderFrom$Key", ["fields": "a,b", "headers": "h", "operation": "copy"])["headers"] != nil)
    }

    @Test func unconfiguredTransformsFailClearly() {
        let e = TestRecords.connectError { _ = try Cast(.value).apply(TestRecords.sink(schema: nil, value: .int64(1))) }
        #expect(e?.message == "Cast$Value was used before configure() was called")
    }

    @Test func schemaCacheIsKeyedByIdentityAndBounded() throws {
        let cache = SchemaCache<Schema>(limit: 2)
        let a = SchemaBuilder.struct().field("x", .int32).build()
        let aTwin = SchemaBuilder.struct().field("x", .int32).build()
        var builds = 0
        let out1 = try cache.schema(for: a) { builds += 1; return .string }
        let out2 = try cache.schema(for: a) { builds += 1; return .int32 }
        #expect(out1 === out2 && builds == 1)
        _ = try cache.schema(for: aTwin) { builds += 1; return .int64 }
        #expect(builds == 2)  // equal but not identical: its own entry
        _ = try cache.schema(for: .boolean) { builds += 1; return .int8 }
        #expect(cache.count <= 2)
    }
}

extension TransformPluginsTests {
    @Test func configuringTwiceIsRefused() throws {
        let t = try TestRecords.configured(RegexRouter(), ["regex": "a", "replacement": "b"])
        let e = TestRecords.connectError { try t.configure(["regex": "c", "replacement": "d"]) }
        #expect(e?.message == "RegexRouter is already configured; create a new instance to change its configuration")
        #expect(try t.apply(TestRecords.sink(topic: "a", schema: nil, value: .null))?.topic == "b")
    }
}
