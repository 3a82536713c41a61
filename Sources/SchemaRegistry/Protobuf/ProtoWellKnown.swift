/// The types outside the registered file that Confluent's ProtobufConverter uses, their imports, and the
/// `google/protobuf/wrappers.proto` text it registers for a top-level primitive (a Connect STRING value becomes a
/// `google.protobuf.StringValue`, message index 7).
public enum ProtoWellKnown {
    public static let timestamp = "google.protobuf.Timestamp"
    public static let date = "google.type.Date"
    public static let timeOfDay = "google.type.TimeOfDay"
    public static let decimal = "confluent.type.Decimal"

    /// The import a well-known type needs.
    public static func importPath(_ type: String) -> String? {
        switch type {
        case timestamp: return "google/protobuf/timestamp.proto"
        case date: return "google/type/date.proto"
        case timeOfDay: return "google/type/timeofday.proto"
        case decimal: return "confluent/type/decimal.proto"
        default: return nil
        }
    }

    /// The wrapper message names in `wrappers.proto` order (the message index).
    public static let wrapperMessages = ["DoubleValue", "FloatValue", "Int64Value", "UInt64Value", "Int32Value",
                                         "UInt32Value", "BoolValue", "StringValue", "BytesValue"]

    /// `wrappers.proto` exactly as Schema Registry prints it (protobuf-java 3.x's copy, with its options).
    public static let wrappersText: String = {
        var s = "syntax = \"proto3\";\npackage google.protobuf;\n\n"
        s += "option java_package = \"com.google.protobuf\";\noption java_outer_classname = \"WrappersProto\";\n"
        s += "option java_multiple_files = true;\noption go_package = \"google.golang.org/protobuf/types/known/wrapperspb\";\n"
        s += "option cc_enable_arenas = true;\noption objc_class_prefix = \"GPB\";\n"
        s += "option csharp_namespace = \"Google.Protobuf.WellKnownTypes\";\n\n"
        let types = ["double", "float", "int64", "uint64", "int32", "uint32", "bool", "string", "bytes"]
        for (m, t) in zip(wrapperMessages, types) {
            s += "message \(m) {\n  \(t) value = 1 [json_name = \"value\"];\n}\n"
        }
        return s
    }()
}
