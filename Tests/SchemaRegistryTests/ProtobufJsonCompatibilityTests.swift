import Testing

@testable import SchemaRegistry

/// Protobuf and JSON Schema compatibility. The Protobuf cases are those of Confluent's
/// `protobuf-provider/src/test/resources/diff-schema-examples.json` that need neither `oneof`, references nor
/// metadata: the original schema, the update, and whether Confluent calls the update (BACKWARD) compatible.
@Suite struct ProtobufJsonCompatibilityTests {
    static func proto(_ body: String, package: String? = nil, syntax: String = "proto3") -> String {
        "syntax = \"\(syntax)\";\n" + (package.map { "package \($0);\n" } ?? "") + body
    }

    static let status = "message TestMessage {\n string test_string = 1;\n %@ test_int = 2;\n message Status {\n string test_string = 1;\n }\n}"

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var original: String
        var update: String
        var compatible: Bool
        var change: String? = nil
    }

    static let cases: [Case] = [
        Case(description: "package change", original: proto("message TestMessage {\n string test_string = 1;\n .foo.TestMessage.Status test_int = 2;\n message Status {\n string test_string = 1;\n }\n}", package: "foo"),
             update: proto("message TestMessage {\n string test_string = 1;\n .bar.TestMessage.Status test_int = 2;\n message Status {\n string test_string = 1;\n }\n}", package: "bar"), compatible: true),
        Case(description: "name qualification", original: proto("message TestMessage {\n string test_string = 1;\n Status test_int = 2;\n message Status {\n string test_string = 1;\n }\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n .TestMessage.Status test_int = 2;\n message Status {\n string test_string = 1;\n }\n}"), compatible: true),
        Case(description: "name qualification with package", original: proto("message TestMessage {\n string test_string = 1;\n Status test_int = 2;\n message Status {\n string test_string = 1;\n }\n}", package: "foo"),
             update: proto("message TestMessage {\n string test_string = 1;\n .foo.TestMessage.Status test_int = 2;\n message Status {\n string test_string = 1;\n }\n}", package: "foo"), compatible: true),
        Case(description: "added field", original: proto("message TestMessage {\n string test_string = 1;\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n string test_string2 = 2;\n}"), compatible: true),
        Case(description: "added required field", original: proto("message TestMessage {\n optional string test_string = 1;\n}", syntax: "proto2"),
             update: proto("message TestMessage {\n optional string test_string = 1;\n required string test_string2 = 2;\n}", syntax: "proto2"), compatible: false,
             change: "REQUIRED_FIELD_ADDED #/TestMessage/2"),
        Case(description: "added field to nested type", original: proto("message Wrapper {\n int32 wrapperInt = 1;\n message TestMessage {\n string test_string = 1;\n }\n}"),
             update: proto("message Wrapper {\n int32 wrapperInt = 1;\n message TestMessage {\n string test_string = 1;\n string test_string2 = 2;\n }\n}"), compatible: true),
        Case(description: "removed field", original: proto("message TestMessage {\n string test_string = 1;\n string test_string2 = 2;\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n}"), compatible: true),
        Case(description: "removed required field", original: proto("message TestMessage {\n optional string test_string = 1;\n required string test_string2 = 2;\n}", syntax: "proto2"),
             update: proto("message TestMessage {\n optional string test_string = 1;\n}", syntax: "proto2"), compatible: false, change: "REQUIRED_FIELD_REMOVED #/TestMessage/2"),
        Case(description: "changed field number", original: proto("message TestMessage {\n string test_string = 1;\n}"),
             update: proto("message TestMessage {\n string test_string = 2;\n}"), compatible: true),
        Case(description: "int32 to int64", original: proto("message TestMessage {\n string test_string = 1;\n int32 test_int = 2;\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n int64 test_int = 2;\n}"), compatible: true),
        Case(description: "string to bytes", original: proto("message TestMessage {\n string test_string = 1;\n string test_string2 = 2;\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n bytes test_string2 = 2;\n}"), compatible: true),
        Case(description: "number to enum", original: proto("message TestMessage {\n string test_string = 1;\n int32 test_int = 2;\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n Status test_int = 2;\n}\nenum Status {\n ACTIVE = 0;\n INACTIVE = 1;\n}"), compatible: true),
        Case(description: "enum to number", original: proto("message TestMessage {\n string test_string = 1;\n Status test_int = 2;\n}\nenum Status {\n ACTIVE = 0;\n INACTIVE = 1;\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n int32 test_int = 2;\n}"), compatible: true),
        Case(description: "number to message named like an enum", original: proto("message TestMessage {\n string test_string = 1;\n int32 test_int = 2;\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n .TestMessage.Status test_int = 2;\n message Status {\n string test_string = 1;\n }\n}\nenum Status {\n ACTIVE = 0;\n INACTIVE = 1;\n}"),
             compatible: false, change: "FIELD_KIND_CHANGED #/TestMessage/2"),
        Case(description: "message named like an enum to number", original: proto("message TestMessage {\n string test_string = 1;\n .TestMessage.Status test_int = 2;\n message Status {\n string test_string = 1;\n }\n}\nenum Status {\n ACTIVE = 0;\n INACTIVE = 1;\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n int32 test_int = 2;\n}"), compatible: false, change: "MESSAGE_REMOVED #/TestMessage/Status"),
        Case(description: "enum constant renamed", original: proto("message TestMessage {\n Status test_int = 2;\n}\nenum Status {\n ACTIVE = 0;\n INACTIVE = 1;\n}"),
             update: proto("message TestMessage {\n Status test_int = 2;\n}\nenum Status {\n ACTIVE = 0;\n NOT_ACTIVE = 1;\n}"), compatible: true),
        Case(description: "number to message", original: proto("message TestMessage {\n string test_string = 1;\n int32 test_int = 2;\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n TestMessage2 test_int = 2;\n}\nmessage TestMessage2 {\n string s1 = 1;\n}"), compatible: false,
             change: "FIELD_KIND_CHANGED #/TestMessage/2"),
        Case(description: "int32 to string", original: proto("message TestMessage {\n string test_string = 1;\n int32 test_int = 2;\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n string test_string2 = 2;\n}"), compatible: false, change: "FIELD_SCALAR_KIND_CHANGED #/TestMessage/2"),
        Case(description: "message type renamed", original: proto("message TestMessage {\n string test_string = 1;\n TestMessage2 test_int = 2;\n}\nmessage TestMessage2 {\n string s1 = 1;\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n TestMessage3 test_int = 2;\n}\nmessage TestMessage3 {\n string s1 = 1;\n}"), compatible: false,
             change: "FIELD_NAMED_TYPE_CHANGED #/TestMessage/2"),
        Case(description: "map value kind", original: proto("message TestMessage {\n string test_string = 1;\n map<string, int32> test_map_int = 2;\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n map<string, string> test_map_string = 2;\n}"), compatible: false,
             change: "FIELD_SCALAR_KIND_CHANGED #/TestMessage/2"),
        Case(description: "name qualification in a map", original: proto("message TestMessage {\n string test_string = 1;\n map<string, Status> test_map = 2;\n message Status {\n string test_string = 1;\n }\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n map<string, TestMessage.Status> test_map = 2;\n message Status {\n string test_string = 1;\n }\n}"), compatible: true),
        Case(description: "label change for a message", original: proto("message TestMessage {\n string test_string = 1;\n optional Status test_status = 2;\n message Status {\n string test_string = 1;\n }\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n repeated Status test_status = 2;\n message Status {\n string test_string = 1;\n }\n}"), compatible: true),
        Case(description: "label change for a string", original: proto("message TestMessage {\n optional string test_string = 1;\n}"),
             update: proto("message TestMessage {\n repeated string test_string = 1;\n}"), compatible: true),
        Case(description: "label change for bytes", original: proto("message TestMessage {\n optional bytes test_bytes = 1;\n}"),
             update: proto("message TestMessage {\n repeated bytes test_bytes = 1;\n}"), compatible: true),
        Case(description: "label change for a number", original: proto("message TestMessage {\n optional int32 test_int = 1;\n}"),
             update: proto("message TestMessage {\n repeated int32 test_int = 1;\n}"), compatible: false, change: "FIELD_NUMERIC_LABEL_CHANGED #/TestMessage/1"),
        Case(description: "message added", original: proto("message TestMessage {\n string test_string = 1;\n}"),
             update: proto("message TestMessage {\n string test_string = 1;\n}\nmessage TestMessage2 {\n string test_string = 1;\n}"), compatible: true),
        Case(description: "message moved", original: proto("message TestMessage {\n string test_string = 1;\n}\nmessage TestMessage2 {\n string test_string = 1;\n}"),
             update: proto("message TestMessage2 {\n string test_string = 1;\n}\nmessage TestMessage {\n string test_string = 1;\n}"), compatible: true),
    ]

    @Test(arguments: cases) func protobufAsConfluent(_ c: Case) throws {
        let changes = ProtobufCompatibility.changes(original: try ProtoParser.parse(c.original), update: try ProtoParser.parse(c.update))
        #expect(changes.isEmpty == c.compatible, "\(c.description): \(changes)")
        if let change = c.change { #expect(changes.contains(change), "\(c.description): \(changes)") }
    }

    @Test func jsonSchemaRules() throws {
        func changes(_ writer: String, _ reader: String) throws -> [String] { try JsonSchemaCompatibility.check(reader: reader, writer: writer) }
        let closed = #"{"type":"object","properties":{"id":{"type":"integer"}},"additionalProperties":false}"#
        let open = #"{"type":"object","properties":{"id":{"type":"integer"}}}"#
        #expect(try changes(closed, #"{"type":"object","properties":{"id":{"type":"number"}},"additionalProperties":false}"#).isEmpty)
        #expect(try changes(#"{"type":"object","properties":{"id":{"type":"number"}},"additionalProperties":false}"#, closed) == ["TYPE_NARROWED #/properties/id"])
        #expect(try changes(closed, #"{"type":"object","properties":{"id":{"type":"integer"},"n":{"type":"string"}},"required":["n"],"additionalProperties":false}"#)
            == ["REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/n"])
        #expect(try changes(open, #"{"type":"object","properties":{"id":{"type":"integer"},"n":{"type":"string"}}}"#) == ["PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/n"])
        #expect(try changes(closed, #"{"type":"object","properties":{},"additionalProperties":false}"#) == ["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/id"])
        #expect(try changes(open, #"{"type":"object","properties":{}}"#).isEmpty)
        #expect(try changes(open, closed) == ["ADDITIONAL_PROPERTIES_NARROWED #"])
        #expect(try changes(#"{"type":"string"}"#, #"{"type":"string","maxLength":5}"#) == ["MAX_LENGTH_ADDED #"])
        #expect(try changes(#"{"type":"string","maxLength":9}"#, #"{"type":"string","maxLength":5}"#) == ["MAX_LENGTH_DECREASED #"])
        #expect(try changes(#"{"type":"string","maxLength":5}"#, #"{"type":"string","maxLength":9}"#).isEmpty)
        #expect(try changes(#"{"enum":["a","b"]}"#, #"{"enum":["a"]}"#) == ["ENUM_ARRAY_NARROWED #"])
        #expect(try changes(#"{"type":"array","items":{"type":"integer"}}"#, #"{"type":"array","items":{"type":"string"}}"#) == ["TYPE_CHANGED #/items"])
        // Connect's optional fields are oneOf [null, T]: making a field optional is fine, the reverse is not.
        let plain = #"{"type":"string"}"#, optional = #"{"oneOf":[{"type":"null"},{"type":"string"}]}"#
        #expect(try changes(plain, optional).isEmpty)
        #expect(try changes(optional, plain) == ["COMBINED_TYPE_SUBSCHEMAS_CHANGED #"])
        #expect(throws: SchemaRegistryError.self) { _ = try changes(plain, "{not json") }
    }
}
