import Kafka
import Synchronization
import Testing

@Suite struct KafkaPartitionerTests {
    static let kafka = try! EmbeddedKafka.start()

    /// Vectors from Apache Kafka's `UtilsTest.testMurmur2` (clients module).
    @Test func murmur2MatchesJavaUtils() {
        let cases: [(String, Int32)] = [
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            ("abc", 479_470_107),
        ]
        for (input, expected) in cases {
            #expect(KafkaPartitioner.murmur2(Array(input.utf8)) == expected, "murmur2(\(input))")
        }
    }

    @Test func partitionIsPositiveModulo() {
        // murmur2("21") is negative: toPositive masks the sign bit before the modulo.
        let positive = Int32(bitPattern: UInt32(bitPattern: -973_932_308) & 0x7fff_ffff)
        #expect(KafkaPartitioner.partition(forKey: Array("21".utf8), partitionCount: 25) == positive % 25)
        for n in 1...40 {
            let p = KafkaPartitioner.partition(forKey: Array("key-\(n)".utf8), partitionCount: 7)
            #expect((0..<7).contains(p))
        }
    }

    /// librdkafka's `murmur2` partitioner is documented as Java-compatible: our placement must agree with it.
    @Test func agreesWithLibrdkafkaMurmur2Partitioner() throws {
        let topic = TestNames.unique("murmur")
        try Self.kafka.createTopic(topic, partitions: 12)
        let placed = Mutex<[UInt64: Int32]>([:])
        let producer = try KafkaProducer.make(
            config: ["bootstrap.servers": Self.kafka.bootstrapServers, "partitioner": "murmur2"],
            deliveryHandler: { id, result in
                if case .success(let report) = result { placed.withLock { $0[id] = report.partition } }
            })
        for i in 0..<200 {
            try producer.produce(topic: topic, key: Array("connector-\(i)".utf8), value: [1], id: UInt64(i))
        }
        #expect(producer.flush(timeoutMs: 10_000))
        let result = placed.withLock { $0 }
        #expect(result.count == 200)
        for (id, partition) in result {
            #expect(partition == KafkaPartitioner.partition(forKey: Array("connector-\(id)".utf8), partitionCount: 12))
        }
    }
}
