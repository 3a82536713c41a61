import Testing
import TestSupport
@testable import CDC

/// Feeds random and mutated byte strings to the decoders: any outcome but a crash is acceptable, and decoding must
/// either succeed or throw `PgOutputError`.
@Suite struct PgOutputFuzzTests {
    static var seeds: [[UInt8]] {
        let w = WireBuilder()
        return [
            w.byte("B").int64(1).int64(2).int32(3).bytes,
            w.byte("C").u8(0).int64(1).int64(2).int64(3).bytes,
            w.byte("O").int64(1).string("o").bytes,
            w.byte("R").int32(1).string("s").string("t").u8(100).int16(2).u8(1).string("a").int32(23).int32(-1)
                .u8(0).string("b").int32(25).int32(-1).bytes,
            w.byte("Y").int32(1).string("s").string("t").bytes,
            w.byte("I").int32(1).byte("N").tuple(["1", nil, "\u{0}TOAST"]).bytes,
            w.byte("U").int32(1).byte("K").tuple(["1"]).byte("N").tuple(["2", "x"]).bytes,
            w.byte("D").int32(1).byte("O").tuple(["1", "y"]).bytes,
            w.byte("T").int32(2).u8(0).int32(1).int32(2).bytes,
            w.byte("M").u8(1).int64(5).string("p").int32(2).raw([9, 9]).bytes,
        ]
    }

    func check(_ bytes: [UInt8]) {
        do { _ = try PgOutputMessage.parse(bytes) } catch is PgOutputError {} catch { Issue.record("unexpected error type \(error)") }
        do { _ = try ReplicationFrame.parse(bytes) } catch is PgOutputError {} catch { Issue.record("unexpected error type \(error)") }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 0xC0FFEE)
        let tags = Array("BCORYIUDTMwk".utf8)
        for _ in 0..<5000 {
            var bytes = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if !bytes.isEmpty, Bool.random(using: &rng) { bytes[0] = tags.randomElement(using: &rng)! }
            check(bytes)
        }
    }

    @Test func mutatedValidMessagesNeverCrash() {
        var rng = SplitMix64(seed: 42)
        var decodedSome = 0
        for seed in Self.seeds {
            #expect((try? PgOutputMessage.parse(seed)) != nil, "seed must be valid")
            for _ in 0..<1000 {
                var bytes = seed
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))  // truncate
                case 1:  // flip bytes
                    for _ in 0..<Int.random(in: 1...4, using: &rng) {
                        bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                    }
                case 2: bytes += (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                default:  // huge lengths/counts
                    let i = Int.random(in: 1..<bytes.count, using: &rng)
                    bytes[i] = [0x7F, 0xFF, 0x80].randomElement(using: &rng)!
                }
                if (try? PgOutputMessage.parse(bytes)) != nil { decodedSome += 1 }
                check(bytes)
            }
        }
        #expect(decodedSome > 0)  // the mutations are not all trivially invalid
    }
}
