/// The plugins Apache Kafka ships that both workers have, and the validation requests made for each.
enum CompatPlugins {
    static let transforms = [
        "Cast$Value", "DropHeaders", "ExtractField$Value", "Filter", "Flatten$Value", "HeaderFrom$Value", "HoistField$Value",
        "InsertField$Value", "InsertHeader", "MaskField$Value", "RegexRouter", "ReplaceField$Value", "SetSchemaMetadata$Value",
        "TimestampConverter$Value", "TimestampRouter", "ValueToKey",
    ].map { "org.apache.kafka.connect.transforms." + $0 }
    static let predicates = ["HasHeaderKey", "RecordIsTombstone", "TopicNameMatches"].map { "org.apache.kafka.connect.transforms.predicates." + $0 }
    static let converters = [
        "org.apache.kafka.connect.json.JsonConverter", "org.apache.kafka.connect.storage.StringConverter",
        "org.apache.kafka.connect.converters.ByteArrayConverter", "org.apache.kafka.connect.converters.LongConverter",
        "org.apache.kafka.connect.converters.DoubleConverter", "org.apache.kafka.connect.storage.SimpleHeaderConverter",
    ]
    static var kafkaPlugins: [String] { transforms + predicates + converters }

    /// Minimal valid settings of each transformation (beyond `type`).
    static let transformSettings: [String: String] = [
        "Cast$Value": #","transforms.t.spec":"int8""#,
        "DropHeaders": #","transforms.t.headers":"h1""#,
        "ExtractField$Value": #","transforms.t.field":"f""#,
        "HeaderFrom$Value": #","transforms.t.fields":"f","transforms.t.headers":"h","transforms.t.operation":"copy""#,
        "HoistField$Value": #","transforms.t.field":"f""#,
        "InsertHeader": #","transforms.t.header":"h","transforms.t.value.literal":"v""#,
        "MaskField$Value": #","transforms.t.fields":"f""#,
        "RegexRouter": #","transforms.t.regex":"(.*)","transforms.t.replacement":"x-$1""#,
        "SetSchemaMetadata$Value": #","transforms.t.schema.name":"n""#,
        "TimestampConverter$Value": #","transforms.t.target.type":"string","transforms.t.format":"yyyy""#,
        "ValueToKey": #","transforms.t.fields":"f""#,
    ]

    /// `(plugin in the URL, body)` of each validation compared.
    static func validations(input: String) -> [(String, String)] {
        let src = #""connector.class":"FileStreamSource","name":"v","topic":"t","file":"\#(input)""#
        var out: [(String, String)] = [
            ("FileStreamSource", "{\(src)}"),
            ("FileStreamSourceConnector", #"{"connector.class":"FileStreamSource"}"#),
            ("FileStreamSink", #"{"connector.class":"FileStreamSink","name":"v","topics":"t"}"#),
            ("FileStreamSink", #"{"connector.class":"FileStreamSink","name":"v","topics":"t","topics.regex":"x.*"}"#),
            ("FileStreamSource", #"{"connector.class":"FileStreamSink","name":"v","topics":"t"}"#),
            ("FileStreamSource", #"{"name":"v"}"#),
            ("Nope", #"{"connector.class":"Nope","name":"v"}"#),
            ("FileStreamSource", "{\(src),\"tasks.max\":\"-1\",\"errors.tolerance\":\"some\"}"),
            ("FileStreamSource", "{\(src),\"key.converter\":\"org.apache.kafka.connect.storage.StringConverter\",\"value.converter\":\"Nope\"}"),
            ("FileStreamSource", "{\(src),\"transforms\":\"t\"}"),
            ("FileStreamSource", "{\(src),\"transforms\":\"t\",\"transforms.t.type\":\"Nope\"}"),
            ("FileStreamSource", "{\(src),\"transforms\":\"t\",\"transforms.t.type\":\"org.apache.kafka.connect.transforms.RegexRouter\",\"transforms.t.regex\":\"(\"}"),
            ("FileStreamSource", "{\(src),\"transforms\":\"t\",\"transforms.t.type\":\"org.apache.kafka.connect.transforms.Filter\",\"transforms.t.predicate\":\"p\"}"),
        ]
        for t in transforms {
            let short = String(t.dropFirst("org.apache.kafka.connect.transforms.".count))
            out.append(("FileStreamSource", "{\(src),\"transforms\":\"t\",\"transforms.t.type\":\"\(t)\"\(transformSettings[short] ?? "")}"))
        }
        for p in predicates {
            let extra = p.hasSuffix("HasHeaderKey") ? #","predicates.p.name":"h""# : p.hasSuffix("TopicNameMatches") ? #","predicates.p.pattern":"t.*""# : ""
            out.append(("FileStreamSource", "{\(src),\"transforms\":\"t\",\"transforms.t.type\":\"org.apache.kafka.connect.transforms.Filter\",\"transforms.t.predicate\":\"p\",\"predicates\":\"p\",\"predicates.p.type\":\"\(p)\"\(extra)}"))
        }
        return out
    }
}
