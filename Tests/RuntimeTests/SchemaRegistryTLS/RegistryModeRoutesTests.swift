import BlockingHTTP
import Foundation
import SchemaRegistry
import SluiceAPI
import Testing
import TestSupport

@testable import Runtime

/// `/mode`, schema references and Protobuf compatibility over the registry's real REST routes: Confluent's shapes and
/// error codes (42204 invalid mode, 42205 not permitted, 42206 referenced, 40409 no subject mode).
@Suite(.serialized) struct RegistryModeRoutesTests {
    static func call(_ port: Int, _ method: String, _ path: String, _ body: String? = nil) throws -> (status: Int, code: Int64?, text: String) {
        let r = try BlockingHTTPClient.send(
            method: method, url: "http://127.0.0.1:\(port)\(path)",
            headers: body == nil ? [] : [("Content-Type", "application/vnd.schemaregistry.v1+json")],
            body: body.map { Array($0.utf8) }, timeoutMs: 30_000)
        return (r.status, (try? JSONReader.parse(r.body))?["error_code"]?.int64Value, String(decoding: r.body, as: UTF8.self))
    }

    static func body(_ schema: String, type: String? = nil, refs: String? = nil) -> String {
        var o: JSONObject = ["schema": .string(schema)]
        if let type { o["schemaType"] = .string(type) }
        if let refs { o["references"] = try! JSONReader.parse(refs) }
        return JSONValue.object(o).compactString
    }

    @Test(.timeLimit(.minutes(2))) func modesOverREST() async throws {
        let server = try await RegistryServer()
        let port = server.port
        try await onThread {
            #expect(try Self.call(port, "GET", "/mode").text == #"{"mode":"READWRITE"}"#)
            #expect(try Self.call(port, "POST", "/subjects/t-value/versions", Self.body("\"string\"")).text == #"{"id":1}"#)
            #expect(try Self.call(port, "GET", "/mode/t-value").code == 40409)
            #expect(try Self.call(port, "GET", "/mode/t-value?defaultToGlobal=true").text == #"{"mode":"READWRITE"}"#)
            #expect(try Self.call(port, "PUT", "/mode/t-value", #"{"mode":"readonly"}"#).text == #"{"mode":"READONLY"}"#)
            #expect(try Self.call(port, "PUT", "/mode", #"{"mode":"SOMETIMES"}"#).code == 42204)
            let refused = try Self.call(port, "POST", "/subjects/t-value/versions", Self.body("\"string\""))
            #expect(refused.status == 422 && refused.code == 42205 && refused.text.contains("read-only"), "\(refused)")
            #expect(try Self.call(port, "PUT", "/config/t-value", #"{"compatibility":"NONE"}"#).code == 42205)
            #expect(try Self.call(port, "DELETE", "/subjects/t-value").code == 42205)
            #expect(try Self.call(port, "GET", "/subjects/t-value/versions/1").status == 200)
            #expect(try Self.call(port, "DELETE", "/mode/t-value").text == #"{"mode":"READONLY"}"#)
            // IMPORT on a non-empty registry needs force=true; then ids and versions are the ones given.
            #expect(try Self.call(port, "PUT", "/mode", #"{"mode":"IMPORT"}"#).code == 42205)
            #expect(try Self.call(port, "PUT", "/mode?force=true", #"{"mode":"IMPORT"}"#).text == #"{"mode":"IMPORT"}"#)
            #expect(try Self.call(port, "POST", "/subjects/imp/versions", #"{"schema":"\"int\"","id":100,"version":5}"#).text == #"{"id":100}"#)
            #expect(try Self.call(port, "GET", "/subjects/imp/versions").text == "[5]")
            #expect(try Self.call(port, "PUT", "/mode", #"{"mode":"READWRITE"}"#).status == 200)
            #expect(try Self.call(port, "POST", "/subjects/imp/versions", #"{"schema":"\"long\"","id":7}"#).code == 42205)
        }
    }

    @Test(.timeLimit(.minutes(2))) func referencesAndProtobufCompatibilityOverREST() async throws {
        let server = try await RegistryServer()
        let port = server.port
        try await onThread {
            let address = "syntax = \"proto3\";\npackage acme;\nmessage Address {\n  string city = 1;\n}\n"
            let order = "syntax = \"proto3\";\npackage acme;\nimport \"acme/address.proto\";\nmessage Order {\n  int64 id = 1;\n  .acme.Address ship_to = 2;\n}\n"
            let refs = #"[{"name":"acme/address.proto","subject":"address","version":1}]"#
            #expect(try Self.call(port, "POST", "/subjects/address/versions", Self.body(address, type: "PROTOBUF")).text == #"{"id":1}"#)
            #expect(try Self.call(port, "POST", "/subjects/order-value/versions", Self.body(order, type: "PROTOBUF", refs: refs)).text == #"{"id":2}"#)
            let v = try Self.call(port, "GET", "/subjects/order-value/versions/1")
            #expect(v.text.contains(#""schemaType":"PROTOBUF","references":[{"name":"acme/address.proto","subject":"address","version":1}],"schema":"#), "\(v.text)")
            #expect(try Self.call(port, "GET", "/schemas/ids/2").text.contains(#""references":[{"name":"acme/address.proto""#))
            #expect(try Self.call(port, "GET", "/subjects/address/versions/1/referencedby").text == "[2]")
            let referenced = try Self.call(port, "DELETE", "/subjects/address/versions/1")
            #expect(referenced.status == 422 && referenced.code == 42206, "\(referenced)")
            let badRef = try Self.call(port, "POST", "/subjects/x/versions", Self.body(order, type: "PROTOBUF", refs: #"[{"name":"a.proto","subject":"nope","version":1}]"#))
            #expect(badRef.code == 42201, "\(badRef)")
            // Protobuf compatibility: an int64 field turned string is refused, with Confluent's change name.
            let changed = order.replacingOccurrences(of: "int64 id = 1", with: "string id = 1")
            let check = try Self.call(port, "POST", "/compatibility/subjects/order-value/versions/latest?verbose=true",
                                      Self.body(changed, type: "PROTOBUF", refs: refs))
            #expect(check.text.contains(#""is_compatible":false"#) && check.text.contains("FIELD_SCALAR_KIND_CHANGED #/Order/1"), "\(check.text)")
            let conflict = try Self.call(port, "POST", "/subjects/order-value/versions", Self.body(changed, type: "PROTOBUF", refs: refs))
            #expect(conflict.status == 409, "\(conflict)")
        }
    }
}
