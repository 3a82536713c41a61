// libFuzzer target: the Java .properties parser (worker and connector files, users files) must never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProperties(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = JavaProperties.parse(text)
    _ = try? JavaProperties.pairs(text)
    return 0
}
