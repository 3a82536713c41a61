/// OIDs of PostgreSQL's builtin types. They are fixed in the catalog (`pg_type.dat`) and never change, so they are
/// constants; anything else (enums, domains, extension types) is resolved through `PgTypeRegistry`.
public enum PgTypeOID {
    public static let bool: UInt32 = 16
    public static let bytea: UInt32 = 17
    public static let char: UInt32 = 18
    public static let name: UInt32 = 19
    public static let int8: UInt32 = 20
    public static let int2: UInt32 = 21
    public static let int4: UInt32 = 23
    public static let text: UInt32 = 25
    public static let oid: UInt32 = 26
    public static let xid: UInt32 = 28
    public static let json: UInt32 = 114
    public static let xml: UInt32 = 142
    public static let point: UInt32 = 600
    public static let cidr: UInt32 = 650
    public static let float4: UInt32 = 700
    public static let float8: UInt32 = 701
    public static let money: UInt32 = 790
    public static let macaddr: UInt32 = 829
    public static let inet: UInt32 = 869
    public static let macaddr8: UInt32 = 774
    public static let bpchar: UInt32 = 1042
    public static let varchar: UInt32 = 1043
    public static let date: UInt32 = 1082
    public static let time: UInt32 = 1083
    public static let timestamp: UInt32 = 1114
    public static let timestamptz: UInt32 = 1184
    public static let interval: UInt32 = 1186
    public static let timetz: UInt32 = 1266
    public static let bit: UInt32 = 1560
    public static let varbit: UInt32 = 1562
    public static let numeric: UInt32 = 1700
    public static let uuid: UInt32 = 2950
    public static let jsonb: UInt32 = 3802
    public static let int4range: UInt32 = 3904
    public static let numrange: UInt32 = 3906
    public static let tsrange: UInt32 = 3908
    public static let tstzrange: UInt32 = 3910
    public static let daterange: UInt32 = 3912
    public static let int8range: UInt32 = 3926

    /// Builtin scalar types: OID → `typname`.
    public static let scalarNames: [UInt32: String] = [
        bool: "bool", bytea: "bytea", char: "char", name: "name", int8: "int8", int2: "int2", int4: "int4",
        text: "text", oid: "oid", xid: "xid", json: "json", xml: "xml", point: "point", cidr: "cidr", float4: "float4",
        float8: "float8", money: "money", macaddr: "macaddr", macaddr8: "macaddr8", inet: "inet", bpchar: "bpchar",
        varchar: "varchar", date: "date", time: "time", timestamp: "timestamp", timestamptz: "timestamptz",
        interval: "interval", timetz: "timetz", bit: "bit", varbit: "varbit", numeric: "numeric", uuid: "uuid",
        jsonb: "jsonb", int4range: "int4range", numrange: "numrange", tsrange: "tsrange", tstzrange: "tstzrange",
        daterange: "daterange", int8range: "int8range",
    ]

    /// Builtin array types: array OID → element OID.
    public static let arrayElements: [UInt32: UInt32] = [
        1000: bool, 1001: bytea, 1002: char, 1003: name, 1016: int8, 1005: int2, 1007: int4, 1009: text, 1028: oid,
        199: json, 143: xml, 651: cidr, 1021: float4, 1022: float8, 791: money, 1040: macaddr, 1041: inet,
        1014: bpchar, 1015: varchar, 1182: date, 1183: time, 1115: timestamp, 1185: timestamptz, 1187: interval,
        1270: timetz, 1561: bit, 1563: varbit, 1231: numeric, 2951: uuid, 3807: jsonb, 3905: int4range,
        3907: numrange, 3909: tsrange, 3911: tstzrange, 3913: daterange, 3927: int8range,
    ]
}
