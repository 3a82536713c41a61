// libFuzzer target: the pgoutput (logical replication) message decoder must reject malformed messages with an
// error, never crash, whatever a server or a man in the middle sends.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPgOutput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? PgOutputMessage.parse(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
