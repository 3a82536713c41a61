// libFuzzer target: the Schema Registry converters' readers (AvroConverter, ProtobufConverter, JsonSchemaConverter)
// must turn any Kafka record value into a Connect value or an error, never a crash. Compiled into one module with
// Sources/SchemaRegistry (scripts/fuzz.sh), against an in-memory registry holding one schema per converter.
//
// Input: byte 0 picks the converter; the rest is the record value. Values that do not start with the wire header
// (magic 0 + a 4-byte id) get the registered schema's header put in front half of the time, so the fuzzer spends
// its time in the payload decoders, not only on "unknown magic byte".
import SluiceAPI

let schema = SchemaBuilder(type: .structure).name("fuzz.Value")
    .field("id", .int64).field("name", .string).field("ratio", .float64).field("ok", .boolean)
    .field("note", .optionalString).field("price", Logical.decimal(scale: 2)).field("ts", Logical.timestamp)
    .field("day", Logical.date)
    .field("tags", SchemaBuilder.array(.string).build())
    .field("attrs", SchemaBuilder.map(.string, .int32).optional().build())
    .field("inner", SchemaBuilder(type: .structure).name("fuzz.Inner").field("a", .int32).field("b", .optionalBytes).optional().build())
    .build()

func sample() -> Value {
    var s = Struct(schema: schema)
    s[0] = .int64(42); s[1] = .string("hello"); s[2] = .float64(0.5); s[3] = .boolean(true); s[4] = .null
    s[5] = .decimal(ConnectDecimal(unscaled: 12345, scale: 2)); s[6] = .int64(1_700_000_000_000); s[7] = .int32(19_000)
    s[8] = .array([.string("x"), .string("y")]); s[9] = .map([MapEntry(.string("k"), .int32(1))]); s[10] = .null
    return .structure(s)
}

struct Target {
    let converter: any Converter
    let header: [UInt8]
}

func makeTargets() -> [Target] {
    guard let registry = try? SchemaRegistryService(log: MemoryRegistryLog()),
        let config = try? AvroConverterConfig(["schema.registry.url": "embedded", "converter.type": "value"], isKey: false)
    else { fatalError("registry setup failed") }
    let avro = AvroConverter(), proto = ProtobufConverter(), json = JsonSchemaConverter()
    avro.configure(config: config, isKey: false, client: CachedSchemaRegistryClient(registry))
    proto.configure(config: config, isKey: false, client: CachedSchemaRegistryClient(registry))
    json.configure(config: config, isKey: false, numericDecimals: false, client: CachedSchemaRegistryClient(registry))
    let converters: [any Converter] = [avro, proto, json]
    var out: [Target] = []
    for (i, c) in converters.enumerated() {
        let written: [UInt8]? = (try? c.fromConnectData(topic: "t\(i)", headers: nil, schema: schema, value: sample())) ?? nil
        let header: [UInt8] = written.map { Array($0.prefix(5)) } ?? [0, 0, 0, 0, UInt8(i + 1)]
        out.append(Target(converter: c, header: header))
    }
    return out
}

let targets = makeTargets()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegistryConverters(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let index = Int(bytes[0] % 6)
    let t = targets[index % 3]
    var value = Array(bytes.dropFirst())
    if index >= 3 && !(value.first == 0 && value.count >= 5) { value = t.header + value }
    _ = try? t.converter.toConnectData(topic: "t\(index % 3)", headers: nil, value: value)
    return 0
}
