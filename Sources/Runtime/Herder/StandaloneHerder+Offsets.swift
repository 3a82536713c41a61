import SluiceAPI

extension StandaloneHerder {
    /// `GET /connectors/{c}/offsets` (KIP-875): source offsets from the offset store, sink offsets from the
    /// consumer group `connect-<name>`.
    public func offsets(_ name: String) async throws -> [(partition: JSONValue, offset: JSONValue)] {
        let (type, config) = try await onQueue { () -> (ConnectorType, [String: String]) in
            let rt = try self.runtime(name)
            return (rt.type, rt.config)
        }
        if type == .sink {
            let topics = (config["topics"] ?? "").split(separator: ",").map { String($0).trimmedWS }.filter { !$0.isEmpty }
            let props = worker.clientProps("consumer.", connector: config, overridePrefix: "consumer.override.")
            let committed = try worker.kafka.committedOffsets(props: props, groupId: "connect-\(name)", topics: topics)
            return committed.sorted(by: { $0.key < $1.key }).map { tp, off in
                // Kafka's HashMap order: kafka_partition before kafka_topic.
                (.object(["kafka_partition": .int(Int64(tp.partition)), "kafka_topic": .string(tp.topic)]),
                 .object(["kafka_offset": .int(off)]))
            }
        }
        return worker.offsetStore.offsets(connector: name).compactMap { e in
            guard let o = e.offset else { return nil }
            return (.sortedObject(e.partition), .sortedObject(o))
        }
    }

    /// `PATCH` (offsets given) or `DELETE` (nil) offsets; only while the connector is STOPPED, as Kafka requires.
    public func alterOffsets(_ name: String, _ offsets: [(partition: JSONValue, offset: JSONValue?)]?) async throws {
        let (type, config, instance) = try await onQueue { () -> (ConnectorType, [String: String], PluginDescriptor?) in
            let rt = try self.runtime(name)
            guard rt.target == .stopped else {
                throw RestError.badRequest("Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/\(name)/stop' endpoint")
            }
            return (rt.type, rt.config, rt.descriptor)
        }
        _ = instance
        if let offsets, offsets.isEmpty { throw RestError.badRequest("The offsets to be modified must not be empty") }
        if type == .sink {
            let props = worker.clientProps("consumer.", connector: config, overridePrefix: "consumer.override.")
            var change: [TopicPartition: Int64?] = [:]
            if let offsets {
                for o in offsets {
                    guard let t = o.partition["kafka_topic"]?.stringValue, let p = o.partition["kafka_partition"]?.int64Value
                        .flatMap(Int32.init(exactly:)), p >= 0
                    else {
                        throw RestError.badRequest("The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'")
                    }
                    if let off = o.offset {
                        guard let v = off["kafka_offset"]?.int64Value, v >= 0 else {
                            // Kafka answers 500 with this first sentence (the broker rejects it); the class stays.
                            throw RestError(500, "Failed to modify offsets for sink connector \(name): kafka_offset must be a non-negative number, got \(off["kafka_offset"]?.compactString ?? "null")")
                        }
                        change[TopicPartition(t, p)] = v
                    } else {
                        change[TopicPartition(t, p)] = .some(nil)
                    }
                }
            } else {
                let topics = (config["topics"] ?? "").split(separator: ",").map { String($0).trimmedWS }.filter { !$0.isEmpty }
                for tp in try worker.kafka.committedOffsets(props: props, groupId: "connect-\(name)", topics: topics).keys {
                    change[tp] = .some(nil)
                }
            }
            if change.isEmpty { return }  // nothing committed: nothing to reset
            try worker.kafka.alterCommittedOffsets(props: props, groupId: "connect-\(name)", change)
            return
        }
        if let offsets {
            var entries: [OffsetEntry] = []
            for o in offsets {
                guard let p = o.partition.objectValue else { throw RestError.badRequest("Source partitions must be JSON objects") }
                if let off = o.offset, off.objectValue == nil, !off.isNull { throw RestError.badRequest("Source offsets must be JSON objects or null") }
                entries.append(OffsetEntry(partition: p.dictionary, offset: o.offset?.objectValue?.dictionary))
            }
            try worker.offsetStore.write(connector: name, entries)
        } else {
            try worker.offsetStore.removeAll(connector: name)
        }
    }
}
