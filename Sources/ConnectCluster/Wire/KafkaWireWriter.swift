/// Appends Kafka's classic (non-flexible) wire-protocol primitives to a byte buffer: big-endian integers,
/// int16-length strings, int32-length bytes and arrays.
///
/// Pure value type so every request encoder is a plain function that tests compare against captured bytes.
public struct KafkaWireWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func int8(_ value: Int8) { bytes.append(UInt8(bitPattern: value)) }

    public mutating func int16(_ value: Int16) {
        let v = UInt16(bitPattern: value)
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    public mutating func int32(_ value: Int32) {
        let v = UInt32(bitPattern: value)
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    public mutating func int64(_ value: Int64) {
        let v = UInt64(bitPattern: value)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }

    /// A non-null `STRING`. Strings longer than 32767 UTF-8 bytes cannot be encoded and are truncated to that size,
    /// which no group id, member id or URL comes near.
    public mutating func string(_ value: String) {
        let utf8 = Array(value.utf8.prefix(Int(Int16.max)))
        int16(Int16(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// A `NULLABLE_STRING`: length -1 for nil.
    public mutating func nullableString(_ value: String?) {
        guard let value else { int16(-1); return }
        string(value)
    }

    /// A non-null `BYTES`.
    public mutating func bytes(_ value: [UInt8]) {
        int32(Int32(clamping: value.count))
        bytes.append(contentsOf: value)
    }

    /// A `NULLABLE_BYTES`: length -1 for nil.
    public mutating func nullableBytes(_ value: [UInt8]?) {
        guard let value else { int32(-1); return }
        bytes(value)
    }

    /// An `ARRAY`: int32 count, then each element written by `element`.
    public mutating func array<T>(_ values: [T], _ element: (inout KafkaWireWriter, T) -> Void) {
        int32(Int32(clamping: values.count))
        for value in values { element(&self, value) }
    }

    /// A nullable `ARRAY`: count -1 for nil.
    public mutating func nullableArray<T>(_ values: [T]?, _ element: (inout KafkaWireWriter, T) -> Void) {
        guard let values else { int32(-1); return }
        array(values, element)
    }
}
