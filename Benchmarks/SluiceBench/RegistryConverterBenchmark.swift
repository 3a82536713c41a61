import SchemaRegistry
import SluiceAPI

/// A Schema Registry converter's throughput on one thread (AvroConverter, ProtobufConverter): the JsonConverter
/// benchmark's 10-field struct through Confluent's wire format, against an in-memory embedded registry (ids cached
/// after the first record, as in a task).
enum RegistryConverterBenchmark {
    static func avro(records: Int) -> String {
        run("AvroConverter", records: records) { config, client in
            let c = AvroConverter()
            c.configure(config: config, isKey: false, client: client)
            return c
        }
    }

    static func protobuf(records: Int) -> String {
        run("ProtobufConverter", records: records) { config, client in
            let c = ProtobufConverter()
            c.configure(config: config, isKey: false, client: client)
            return c
        }
    }

    static func run(_ name: String, records: Int, make: (AvroConverterConfig, CachedSchemaRegistryClient) -> any Converter) -> String {
        do {
            let registry = try SchemaRegistryService(log: MemoryRegistryLog())
            let config = try AvroConverterConfig(["schema.registry.url": "embedded", "converter.type": "value"], isKey: false)
            let converter = make(config, CachedSchemaRegistryClient(registry))
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
                \(name) (10-field struct, \(bytes / max(records, 1)) bytes/record, \(records) records, 1 thread):
                  serialize: \(JsonConverterBenchmark.rate(records, serialize)) records/s wall, \(JsonConverterBenchmark.rate(records, serializeCPU)) records per CPU-second
                  parse:     \(JsonConverterBenchmark.rate(records, parse)) records/s wall, \(JsonConverterBenchmark.rate(records, parseCPU)) records per CPU-second (\(fields / max(records, 1)) fields/record)
                """
        } catch {
            return "\(name) benchmark failed: \(error)"
        }
    }
}
