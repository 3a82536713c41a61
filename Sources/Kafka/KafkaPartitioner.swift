/// Kafka's Java default partitioner for keyed records, so records Sluice places itself (the distributed-mode
/// offsets topic) land where a Java Connect worker would put them.
public enum KafkaPartitioner {
    /// `org.apache.kafka.common.utils.Utils.murmur2`: MurmurHash2, seed 0x9747b28c, little-endian 4-byte blocks.
    public static func murmur2(_ data: [UInt8]) -> Int32 {
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        let length = data.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        let blocks = length / 4
        data.withUnsafeBufferPointer { bytes in
            for block in 0..<blocks {
                let i = block * 4
                var k = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
                k = k &* m
                k ^= k >> r
                k = k &* m
                h = h &* m
                h ^= k
            }
            let tail = blocks * 4
            switch length % 4 {
            case 3:
                h ^= UInt32(bytes[tail + 2]) << 16
                fallthrough
            case 2:
                h ^= UInt32(bytes[tail + 1]) << 8
                fallthrough
            case 1:
                h ^= UInt32(bytes[tail])
                h = h &* m
            default:
                break
            }
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// The partition Java's default partitioner picks for a non-null key: `toPositive(murmur2(key)) % n`.
    public static func partition(forKey key: [UInt8], partitionCount: Int) -> Int32 {
        precondition(partitionCount > 0, "partitionCount must be positive")
        let positive = murmur2(key) & 0x7fff_ffff
        return positive % Int32(partitionCount)
    }
}
