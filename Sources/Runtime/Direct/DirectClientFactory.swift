import SluiceAPI

/// The worker's "Kafka clients" when `bootstrap.servers=none`: producers, consumers and offset tools over the
/// in-process `DirectBus`.
struct DirectClientFactory: KafkaClientFactory {
    let bus: DirectBus

    func makeSender(props: [String: String], clientId: String) throws -> any KafkaSender { DirectSender(bus: bus) }

    func makeReceiver(props: [String: String], groupId: String, clientId: String, listener: any RebalanceListener) throws -> any KafkaReceiver {
        DirectReceiver(bus: bus, groupId: groupId, autoOffsetReset: props["auto.offset.reset"], listener: listener)
    }

    func createTopic(props: [String: String], name: String, partitions: Int, replicationFactor: Int, configs: [String: String]) throws {
        bus.locked { bus.ensureTopic(name, partitions: partitions) }
    }

    func committedOffsets(props: [String: String], groupId: String, topics: [String]) throws -> [TopicPartition: Int64] {
        bus.locked { (bus.group(groupId)?.committed ?? [:]).filter { topics.contains($0.key.topic) } }
    }

    /// A removed offset means "from the oldest record still held", as no committed offset does.
    func alterCommittedOffsets(props: [String: String], groupId: String, _ offsets: [TopicPartition: Int64?]) throws {
        bus.locked {
            var set: [TopicPartition: Int64] = [:]
            for (tp, off) in offsets {
                if let off { set[tp] = off } else { bus.updateGroup(groupId) { $0.committed.removeValue(forKey: tp) } }
            }
            if !set.isEmpty { bus.commit(group: groupId, set) }
        }
    }

    func deleteGroup(props: [String: String], groupId: String) throws {
        bus.locked { bus.deleteGroup(groupId) }
    }
}
