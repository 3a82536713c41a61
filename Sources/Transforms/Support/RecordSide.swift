import SluiceAPI

/// Which part of a record a `$Key`/`$Value` transform works on.
///
/// Kafka Connect expresses this with two nested subclasses per transform (`Cast$Key`, `Cast$Value`) overriding
/// `operatingSchema`/`operatingValue`/`newRecord`; one enum value passed to a single class does the same job here.
public enum RecordSide: String, Sendable, Hashable, CaseIterable {
    case key = "Key"
    case value = "Value"

    @inline(__always)
    func schema<R: ConnectRecord>(of record: R) -> Schema? {
        self == .key ? record.keySchema : record.valueSchema
    }

    @inline(__always)
    func value<R: ConnectRecord>(of record: R) -> Value {
        self == .key ? record.key : record.value
    }

    /// Whether this side of `record` is null, read without copying the value.
    @inline(__always)
    func isNull<R: ConnectRecord>(in record: R) -> Bool {
        if self == .key {
            if case .null = record.key { return true }
            return false
        }
        if case .null = record.value { return true }
        return false
    }

    /// The record with this side replaced; topic, partition, timestamp, headers and the record's own
    /// coordinates (source offset, Kafka offset) are kept, as `ConnectRecord.newRecord` does.
    @inline(__always)
    func updating<R: ConnectRecord>(_ record: R, schema: Schema?, value: Value) -> R {
        var copy = record
        if self == .key {
            copy.keySchema = schema
            copy.key = value
        } else {
            copy.valueSchema = schema
            copy.value = value
        }
        return copy
    }
}
