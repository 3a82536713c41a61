// libFuzzer target: the SpoolDir CSV parser must never crash and must end on any input. The first input byte picks
// the options (RFC 4180 or opencsv defaults, strict quotes, ignore quotations, null indicators) and the chunk size,
// so record boundaries fall everywhere.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let flags = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    var options = CSVOptions()
    if flags & 1 != 0 { options.useRFC4180() }
    options.strictQuotes = flags & 2 != 0
    options.ignoreQuotations = flags & 4 != 0
    options.ignoreLeadingWhitespace = flags & 8 != 0
    options.keepCarriageReturn = flags & 16 != 0
    options.nullFieldIndicator = CSVOptions.NullFieldIndicator.allCases[Int(flags >> 5) % CSVOptions.NullFieldIndicator.allCases.count]
    options.skipLines = Int(flags >> 6)
    var parser = CSVParser(source: MemoryByteSource(bytes, chunkSize: 1 + Int(flags % 7)), options: options, sourceName: "fuzz", chunkSize: 16 + Int(flags % 5))
    defer { parser.close() }
    var row = CSVRow()
    var records = 0
    while (try? parser.next(into: &row)) == true {
        records += 1
        for i in 0..<row.count { _ = row.range(i) }
        if records > size + 1 { fatalError("more records than input bytes: the parser does not advance") }
    }
    return 0
}
