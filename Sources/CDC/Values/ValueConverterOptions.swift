/// The connector settings that change how column values are represented (Debezium's `*.handling.mode` keys).
public struct ValueConverterOptions: Sendable, Hashable {
    /// `decimal.handling.mode`.
    public enum DecimalMode: String, Sendable, Hashable { case precise, double, string }
    /// `time.precision.mode`.
    public enum TimePrecisionMode: String, Sendable, Hashable {
        case adaptive, adaptiveTimeMicroseconds = "adaptive_time_microseconds", connect
    }
    /// `binary.handling.mode`.
    public enum BinaryMode: String, Sendable, Hashable { case bytes, base64, base64UrlSafe = "base64-url-safe", hex }
    /// `hstore.handling.mode`.
    public enum HstoreMode: String, Sendable, Hashable { case json, map }
    /// `interval.handling.mode`.
    public enum IntervalMode: String, Sendable, Hashable { case numeric, string }

    public var decimalMode: DecimalMode = .precise
    public var timePrecisionMode: TimePrecisionMode = .adaptive
    public var binaryMode: BinaryMode = .bytes
    public var hstoreMode: HstoreMode = .json
    public var intervalMode: IntervalMode = .numeric
    /// `unavailable.value.placeholder`: what unchanged TOAST columns carry.
    public var unavailableValuePlaceholder = "__debezium_unavailable_value"
    /// `include.unknown.datatypes`: unknown types as their text (true) or left out of the schema (false).
    public var includeUnknownDatatypes = false

    public init() {}
}
