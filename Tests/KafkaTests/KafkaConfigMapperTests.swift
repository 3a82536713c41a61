import Kafka
import Testing

@Suite struct KafkaConfigMapperTests {
    @Test func producerKeysTranslateAndDefaultsApply() {
        let mapped = KafkaConfigMapper.producerConfig(fromJava: [
            "bootstrap.servers": "localhost:9092, localhost:9093",
            "linger.ms": "20",
            "batch.size": "65536",
            "compression.type": "lz4",
            "client.id": "sluice",
            "max.in.flight.requests.per.connection": "5",
            "key.serializer": "org.apache.kafka.common.serialization.ByteArraySerializer",
            "value.serializer": "org.apache.kafka.common.serialization.ByteArraySerializer",
            "max.request.size": "2000000",
            "buffer.memory": "33554432",
            "security.protocol": "SASL_SSL",
            "sasl.mechanism": "PLAIN",
            "sasl.jaas.config": #"org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3cret";"#,
        ])
        #expect(mapped.config["bootstrap.servers"] == "localhost:9092,localhost:9093")
        #expect(mapped.config["linger.ms"] == "20")
        #expect(mapped.config["batch.size"] == "65536")
        #expect(mapped.config["compression.type"] == "lz4")
        #expect(mapped.config["client.id"] == "sluice")
        #expect(mapped.config["max.in.flight.requests.per.connection"] == "5")
        #expect(mapped.config["message.max.bytes"] == "2000000")
        #expect(mapped.config["queue.buffering.max.kbytes"] == "32768")
        #expect(mapped.config["security.protocol"] == "sasl_ssl")
        #expect(mapped.config["sasl.mechanisms"] == "PLAIN")
        #expect(mapped.config["sasl.username"] == "alice")
        #expect(mapped.config["sasl.password"] == "s3cret")
        #expect(mapped.config["enable.idempotence"] == "true")
        #expect(mapped.config["acks"] == "all")
        #expect(mapped.config["key.serializer"] == nil)
        #expect(Set(mapped.dropped.keys) == ["key.serializer", "value.serializer"])
    }

    @Test func explicitAcksWinOverDefault() {
        let mapped = KafkaConfigMapper.producerConfig(fromJava: ["acks": "1", "enable.idempotence": "false"])
        #expect(mapped.config["acks"] == "1")
        #expect(mapped.config["enable.idempotence"] == "false")
    }

    @Test func consumerKeysAndForcedManualCommit() {
        let mapped = KafkaConfigMapper.consumerConfig(fromJava: [
            "group.id": "connect-sink",
            "enable.auto.commit": "true",
            "fetch.max.wait.ms": "100",
            "max.poll.records": "500",
            "auto.offset.reset": "earliest",
            "partition.assignment.strategy": "org.apache.kafka.clients.consumer.RangeAssignor,org.apache.kafka.clients.consumer.RoundRobinAssignor",
            "ssl.truststore.location": "/etc/ca.jks",
        ])
        #expect(mapped.config["group.id"] == "connect-sink")
        #expect(mapped.config["enable.auto.commit"] == "false")
        #expect(mapped.config["enable.auto.offset.store"] == "false")
        #expect(mapped.config["fetch.wait.max.ms"] == "100")
        #expect(mapped.config["auto.offset.reset"] == "earliest")
        #expect(mapped.config["partition.assignment.strategy"] == "range,roundrobin")
        #expect(mapped.dropped["max.poll.records"] != nil)
        #expect(mapped.dropped["ssl.truststore.location"] != nil)
        #expect(mapped.config["ssl.ca.location"] == nil)
    }

    @Test func pemTruststoreBecomesCaLocationAndUnknownKeysAreDropped() {
        let mapped = KafkaConfigMapper.adminConfig(fromJava: [
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": "/etc/ca.pem",
            "some.unknown.java.key": "x",
            "queue.buffering.max.ms": "7",
        ])
        #expect(mapped.config["ssl.ca.location"] == "/etc/ca.pem")
        #expect(mapped.config["queue.buffering.max.ms"] == "7")
        #expect(mapped.dropped["some.unknown.java.key"]?.contains("librdkafka") == true)
        #expect(mapped.dropped["ssl.truststore.type"] != nil)
    }
}
