import Foundation
import Kafka
import Testing

/// Interoperability with a third-party client: what we produce, `kcat` reads; what `kcat` produces, we read.
@Suite struct KcatInteropTests {
    static let kafka = try! EmbeddedKafka.start()

    /// Runs kcat with `input` on stdin and returns its stdout; fails the test on a non-zero exit.
    static func kcat(_ arguments: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/kcat")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "kcat \(arguments) exited with \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }

    @Test func kcatReadsWhatWeProduce() throws {
        let topic = TestNames.unique("to-kcat")
        try Self.kafka.createTopic(topic, partitions: 1)
        let records = (0..<5).map { (key: Optional("k\($0)"), value: "value \($0)") }
        let reports = try produceStrings(Self.kafka, topic: topic, records: records)
        #expect(reports.map(\.offset) == [0, 1, 2, 3, 4])
        let out = try Self.kcat(["-b", Self.kafka.bootstrapServers, "-C", "-t", topic, "-c", "5", "-e", "-q", "-f", "%k=%s@%o\n"])
        #expect(out.split(separator: "\n").map(String.init) == (0..<5).map { "k\($0)=value \($0)@\($0)" })
    }

    @Test func weReadWhatKcatProduces() throws {
        let topic = TestNames.unique("from-kcat")
        try Self.kafka.createTopic(topic, partitions: 1)
        _ = try Self.kcat(["-b", Self.kafka.bootstrapServers, "-P", "-t", topic, "-K", ":", "-H", "source=kcat"],
                          input: "a:first\nb:second\nc:third\n")
        let consumer = try KafkaConsumer.make(config: groupConsumerConfig(Self.kafka, group: TestNames.unique("kcat")))
        defer { consumer.close() }
        try consumer.subscribe(topics: [topic])
        let messages = try pollUntil(consumer, count: 3)
        #expect(messages.map(\.keyString) == ["a", "b", "c"])
        #expect(messages.map(\.valueString) == ["first", "second", "third"])
        #expect(messages.allSatisfy { $0.headers.count == 1 && $0.headers[0].0 == "source" && $0.headers[0].1 == Array("kcat".utf8) })
    }
}
