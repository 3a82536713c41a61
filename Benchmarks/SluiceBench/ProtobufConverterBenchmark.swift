import SchemaRegistry
import SluiceAPI

/// ProtobufConverter throughput on one thread: the JsonConverter benchmark's 10-field struct through Confluent's wire
/// format, against an in-memory embedded registry (ids cached after the first record, as in a task).
enum ProtobufConverterBenchmark {
    static func run(records: Int) -> String {
        let converter = ProtobufConverter()
        do {
            let registry = try SchemaRegistryService(log: MemoryRegistryLog())
            let config = try AvroConverterConfig(["schema.registry.url": "embedded", "converter.type": "value"], isKey: false)
            converter.configure(config: config, isKey: false, client: CachedSchemaRegistryClient(registry))
            let schema = JsonConverterBenchmark.schema
            let distinct = min(records, 1000)
            let inputs = (0..<distinct).map(JsonConverterBenchmark.record)
            var encoded: [[UInt8]] = []
            for v in inputs { encoded.append(try converter.fromConnectData(topic: "bench", headers: nil, schema: schema, value: v) ?? []) }
            for e in encoded { _ = try converter.toConnectData(topic: "bench", headers: nil, value: e) }
            let clock = ContinuousClock()
            var bytes = 0
            var cpu = JsonConverterBenchmark.threadCPUSeconds()
            let serialize = try clock.measure {
                for i in 0..<records {
                    bytes &+= try converter.fromConnectData(topic: "bench", headers: nil, schema: schema, value: inputs[i % distinct])?.count ?? 0
                }
            }
            let serializeCPU = JsonConverterBenchmark.threadCPUSeconds() - cpu
            var fields = 0
            cpu = JsonConverterBenchmark.threadCPUSeconds()
            let parse = try clock.measure {
                for i in 0..<records {
                    fields &+= try converter.toConnectData(topic: "bench", headers: nil, value: encoded[i % distinct]).value.structValue?.values.count ?? 0
                }
            }
            let parseCPU = JsonConverterBenchmark.threadCPUSeconds() - cpu
            return """
                ProtobufConverter (10-field struct, \(bytes / max(records, 1)) bytes/record, \(records) records, 1 thread):
                  serialize: \(JsonConverterBenchmark.rate(records, serialize)) records/s wall, \(JsonConverterBenchmark.rate(records, serializeCPU)) records per CPU-second
                  parse:     \(JsonConverterBenchmark.rate(records, parse)) records/s wall, \(JsonConverterBenchmark.rate(records, parseCPU)) records per CPU-second (\(fields / max(records, 1)) fields/record)
                """
        } catch {
            return "ProtobufConverter benchmark failed: \(error)"
        }
    }
}
