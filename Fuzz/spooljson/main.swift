// libFuzzer target: SpoolDir's JSON input (JSONObjectScanner splitting a file into documents, then JSONReader on
// each, as JSONRecordReader does) must never crash or hang. The first byte picks the read and buffer chunk sizes;
// the documents found, their start lines and the final error must not depend on where chunk boundaries fall, so
// the same input is also read in one chunk and the two results compared.
import SluiceAPI

struct Outcome: Equatable {
    var documents: [[UInt8]] = []
    var lines: [Int] = []
    var parsed: [Bool] = []
    var failed = false
}

func scan(_ bytes: [UInt8], readChunk: Int, bufferChunk: Int) -> Outcome {
    var scanner = JSONObjectScanner(source: MemoryByteSource(bytes, chunkSize: readChunk), sourceName: "fuzz", chunkSize: bufferChunk)
    defer { scanner.close() }
    var outcome = Outcome()
    while true {
        do {
            let more = try scanner.next { doc, line -> Bool in
                outcome.documents.append(Array(doc))
                outcome.lines.append(line)
                var reader = JSONReader(doc)
                outcome.parsed.append((try? reader.readValue()).map { _ in (try? reader.expectEnd()) != nil } ?? false)
                return true
            }
            if more == nil { break }
        } catch {
            outcome.failed = true
            break
        }
        if outcome.documents.count > bytes.count + 1 { fatalError("more documents than input bytes: the scanner does not advance") }
    }
    return outcome
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpoolJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let flags = Int(data[0])
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let small = scan(bytes, readChunk: 1 + flags % 7, bufferChunk: 8 + (flags >> 3) % 9)
    let whole = scan(bytes, readChunk: max(bytes.count, 1), bufferChunk: max(bytes.count, 16))
    if small != whole { fatalError("chunk boundaries changed the result: \(small) vs \(whole)") }
    return 0
}
