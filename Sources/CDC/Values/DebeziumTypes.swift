import SluiceAPI

/// Debezium's semantic type names and their schemas (`io.debezium.time.*`, `io.debezium.data.*`). Consumers switch on
/// these names, so they are spelled exactly as Debezium does, each with version 1.
public enum DebeziumTypes {
    public static let date = "io.debezium.time.Date"
    public static let time = "io.debezium.time.Time"
    public static let microTime = "io.debezium.time.MicroTime"
    public static let timestamp = "io.debezium.time.Timestamp"
    public static let microTimestamp = "io.debezium.time.MicroTimestamp"
    public static let zonedTimestamp = "io.debezium.time.ZonedTimestamp"
    public static let zonedTime = "io.debezium.time.ZonedTime"
    public static let microDuration = "io.debezium.time.MicroDuration"
    public static let interval = "io.debezium.time.Interval"
    public static let variableScaleDecimal = "io.debezium.data.VariableScaleDecimal"
    public static let uuid = "io.debezium.data.Uuid"
    public static let json = "io.debezium.data.Json"
    public static let xml = "io.debezium.data.Xml"
    public static let enumeration = "io.debezium.data.Enum"
    public static let bits = "io.debezium.data.Bits"
    public static let ltree = "io.debezium.data.Ltree"
    public static let point = "io.debezium.data.geometry.Point"

    /// A schema of `type` named `name`, version 1, with optional parameters in the given order.
    public static func named(_ name: String, _ type: SchemaType, optional: Bool, parameters: [(String, String)] = []) -> Schema {
        var b = SchemaBuilder(type: type).name(name).version(1).optional(optional)
        for (k, v) in parameters { b = b.parameter(k, v) }
        return b.build()
    }

    /// `io.debezium.data.VariableScaleDecimal`: numeric without a declared scale.
    public static func variableScaleDecimalSchema(optional: Bool) -> Schema {
        SchemaBuilder.struct().name(variableScaleDecimal).version(1).doc("Variable scaled decimal")
            .field("scale", .int32).field("value", .bytes).optional(optional).build()
    }

    /// `io.debezium.data.geometry.Point`: PostgreSQL's `point` as x, y, its WKB and an (always null) SRID.
    public static func pointSchema(optional: Bool) -> Schema {
        SchemaBuilder.struct().name(point).version(1).doc("Geometry (POINT)")
            .field("x", .float64).field("y", .float64).field("wkb", .optionalBytes).field("srid", .optionalInt32)
            .optional(optional).build()
    }

    /// `io.debezium.data.Enum` with `allowed` = the labels joined by commas.
    public static func enumSchema(_ labels: [String], optional: Bool) -> Schema {
        named(enumeration, .string, optional: optional, parameters: [("allowed", labels.joined(separator: ","))])
    }
}
