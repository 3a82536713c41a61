// libFuzzer target: Sluice's JSON reader (REST bodies, JsonConverter, offsets files) must never crash, and what it
// reads must survive a write/read round trip unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONReader.parse(bytes) else { return 0 }
    var w = JSONWriter()
    w.write(value)
    guard let again = try? JSONReader.parse(w.bytes) else { fatalError("written JSON does not parse: \(w.bytes)") }
    var w2 = JSONWriter()
    w2.write(again)
    if w2.bytes != w.bytes { fatalError("round trip changed the JSON") }
    return 0
}
