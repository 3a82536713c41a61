import Testing
import SluiceAPI
@testable import Converters

@Test func scratch() throws {
    let c = JsonConverter()
    try c.configure([:], isKey: false)
    let s = SchemaBuilder.struct().name("x").field("id", .int64).field("n", .optionalString).field("d", Logical.decimal(scale: 2)).field("t", Logical.timestamp).build()
    let v = Value.structure(Struct(schema: s, values: [.int64(1), .null, .decimal(ConnectDecimal(unscaled: 156, scale: 2)), .int64(42)]))
    let b = try c.fromConnectData(topic: "t", headers: nil, schema: s, value: v)!
    print(String(decoding: b, as: UTF8.self))
    let back = try c.toConnectData(topic: "t", headers: nil, value: b)
    print(back)
    #expect(back.value == v)
}
