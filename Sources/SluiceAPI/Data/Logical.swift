/// Kafka Connect's built-in logical types (`Decimal`, `Date`, `Time`, `Timestamp`), as schema names and constructors.
public enum Logical {
    public static let decimalName = "org.apache.kafka.connect.data.Decimal"
    public static let dateName = "org.apache.kafka.connect.data.Date"
    public static let timeName = "org.apache.kafka.connect.data.Time"
    public static let timestampName = "org.apache.kafka.connect.data.Timestamp"
    public static let scaleParameter = "scale"

    /// Milliseconds in a day, for Date (days) ↔ epoch millisecond conversions.
    public static let millisPerDay: Int64 = 86_400_000

    public static func decimal(scale: Int32, optional: Bool = false, precision: Int? = nil) -> Schema {
        var b = SchemaBuilder(type: .bytes).name(decimalName).version(1).parameter(scaleParameter, String(scale))
        if let precision { b = b.parameter("connect.decimal.precision", String(precision)) }
        return b.optional(optional).build()
    }

    public static func date(optional: Bool = false) -> Schema { optional ? optionalDate : date }
    public static func time(optional: Bool = false) -> Schema { optional ? optionalTime : time }
    public static func timestamp(optional: Bool = false) -> Schema { optional ? optionalTimestamp : timestamp }

    public static let date = SchemaBuilder(type: .int32).name(dateName).version(1).build()
    public static let optionalDate = SchemaBuilder(type: .int32).name(dateName).version(1).optional().build()
    public static let time = SchemaBuilder(type: .int32).name(timeName).version(1).build()
    public static let optionalTime = SchemaBuilder(type: .int32).name(timeName).version(1).optional().build()
    public static let timestamp = SchemaBuilder(type: .int64).name(timestampName).version(1).build()
    public static let optionalTimestamp = SchemaBuilder(type: .int64).name(timestampName).version(1).optional().build()

    /// The scale of a Decimal schema (0 when missing, as Kafka would reject; we stay lenient).
    public static func scale(of schema: Schema) -> Int32 {
        Int32(schema.parameter(scaleParameter) ?? "0") ?? 0
    }

    public static func isDecimal(_ s: Schema?) -> Bool { s?.name == decimalName }
}
