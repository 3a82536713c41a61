import SQL
import SluiceAPI

/// Where one column's value comes from in a record.
enum ColumnSource: Hashable, Sendable {
    case kafkaTopic, kafkaPartition, kafkaOffset
    /// The whole (primitive) record key.
    case key
    case keyField(Int)
    case valueField(Int)
}

/// One column the sink writes: its name, the Connect schema it is typed from (for CREATE/ALTER and binding) and
/// where the value comes from.
struct ColumnPlan: Hashable, Sendable {
    var name: String
    var schema: Schema
    var isKey: Bool
    var source: ColumnSource
}

/// The columns records of one key/value schema pair become (Confluent's `FieldsMetadata`): key columns first, then
/// the value columns, as `pk.mode`, `pk.fields` and `fields.whitelist` select them.
///
/// A layout is computed once per schema change, not per record, and records whose schemas are the same instance (as
/// converters hand them out) are matched by identity.
struct RecordLayout: Sendable {
    var keyColumns: [ColumnPlan]
    var valueColumns: [ColumnPlan]
    let keySchema: Schema?
    let valueSchema: Schema?

    var columns: [ColumnPlan] { keyColumns + valueColumns }

    static let kafkaColumns = ["__connect_topic", "__connect_partition", "__connect_offset"]

    /// Whether a record with these (effective) schemas fits this layout.
    func matches(keySchema k: Schema?, valueSchema v: Schema?) -> Bool {
        func same(_ a: Schema?, _ b: Schema?) -> Bool {
            switch (a, b) {
            case (nil, nil): return true
            case let (x?, y?): return x === y || x == y
            default: return false
            }
        }
        return same(keySchema, k) && same(valueSchema, v)
    }

    /// Builds the layout for a record's key and value schemas (schemaless maps already turned into structs).
    /// `valueSchema` is nil for a tombstone (deletes need only the key).
    init(keySchema: Schema?, valueSchema: Schema?, config: JDBCSinkConfig, topic: String) throws {
        self.keySchema = keySchema
        self.valueSchema = valueSchema
        var keys: [ColumnPlan] = []
        var keyNames = Set<String>()
        let pkFields = config.pkFields
        func fail(_ message: String) -> ConnectError {
            ConnectError(.config, "JDBC sink, topic '\(topic)': \(message)")
        }
        switch config.pkMode {
        case .none:
            break
        case .kafka:
            let names = pkFields.isEmpty ? RecordLayout.kafkaColumns : pkFields
            guard names.count == 3 else {
                throw fail("pk.mode=kafka needs exactly 3 pk.fields names (topic, partition, offset), got \(names)")
            }
            keys = [
                ColumnPlan(name: names[0], schema: .string, isKey: true, source: .kafkaTopic),
                ColumnPlan(name: names[1], schema: .int32, isKey: true, source: .kafkaPartition),
                ColumnPlan(name: names[2], schema: .int64, isKey: true, source: .kafkaOffset),
            ]
        case .recordKey:
            guard let ks = keySchema else {
                throw fail("pk.mode=record_key needs a record key, but the record has none (null key)")
            }
            if ks.type.isPrimitive {
                guard pkFields.count == 1 else {
                    throw fail("pk.mode=record_key with a primitive \(ks.type.javaName) key needs exactly one name in pk.fields (the key column), got \(pkFields.isEmpty ? "none" : pkFields.joined(separator: ","))")
                }
                keys = [ColumnPlan(name: pkFields[0], schema: ks.withOptional(false), isKey: true, source: .key)]
            } else if ks.type == .structure {
                let chosen = pkFields.isEmpty ? ks.fields.map(\.name) : pkFields
                for name in chosen {
                    guard let f = ks.field(name) else {
                        throw fail("pk.fields names '\(name)', which is not a field of the record key (fields: \(ks.fields.map(\.name).joined(separator: ",")))")
                    }
                    keys.append(ColumnPlan(name: f.name, schema: f.schema.withOptional(false), isKey: true,
                        source: .keyField(f.index)))
                }
                if keys.isEmpty { throw fail("pk.mode=record_key but the record key struct has no fields") }
            } else {
                throw fail("pk.mode=record_key cannot use a key of type \(ks.type.javaName)")
            }
        case .recordValue:
            guard let vs = valueSchema else { break }  // a tombstone: no value columns, handled by delete rules
            let chosen = pkFields.isEmpty ? vs.fields.map(\.name) : pkFields
            for name in chosen {
                guard let f = vs.field(name) else {
                    throw fail("pk.fields names '\(name)', which is not a field of the record value (fields: \(vs.fields.map(\.name).joined(separator: ",")))")
                }
                keys.append(ColumnPlan(name: f.name, schema: f.schema.withOptional(false), isKey: true,
                    source: .valueField(f.index)))
            }
        }
        keyNames = Set(keys.map(\.name))
        var values: [ColumnPlan] = []
        if let vs = valueSchema {
            for f in vs.fields where !keyNames.contains(f.name) {
                if !config.fieldsWhitelist.isEmpty && !config.fieldsWhitelist.contains(f.name) { continue }
                values.append(ColumnPlan(name: f.name, schema: f.schema, isKey: false, source: .valueField(f.index)))
            }
        }
        for i in keys.indices { keys[i].name = config.columnName(keys[i].name) }
        for i in values.indices { values[i].name = config.columnName(values[i].name) }
        self.keyColumns = keys
        self.valueColumns = values
    }
}
