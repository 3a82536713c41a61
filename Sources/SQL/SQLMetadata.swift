/// A possibly schema-qualified table name, kept as parts so each part is quoted separately (`"s"."t"`), which is
/// what makes identifier quoting injection-proof and lets the same table name live in several schemas.
public struct SQLTableName: Sendable, Hashable, CustomStringConvertible {
    public var schema: String?
    public var name: String

    public init(schema: String? = nil, _ name: String) {
        self.schema = schema
        self.name = name
    }

    /// Splits `schema.table` on the first unquoted dot; `"a.b"` (double-quoted or backticked) stays one part.
    public init(parsing text: String) {
        var parts: [String] = []
        var cur = ""
        var quote: Character? = nil
        var it = Array(text)[...]
        while let c = it.popFirst() {
            if let q = quote {
                if c == q {
                    if it.first == q { cur.append(c); it = it.dropFirst() } else { quote = nil }
                } else {
                    cur.append(c)
                }
            } else if c == "\"" || c == "`" {
                quote = c
            } else if c == "." && parts.count < 2 {
                parts.append(cur)
                cur = ""
            } else {
                cur.append(c)
            }
        }
        parts.append(cur)
        if parts.count >= 2 {
            self.schema = parts[parts.count - 2]
            self.name = parts[parts.count - 1]
        } else {
            self.schema = nil
            self.name = parts[0]
        }
    }

    public var description: String { schema.map { "\($0).\(name)" } ?? name }
}

/// A table found by `SQLDialect.tables`.
public struct SQLTableInfo: Sendable, Hashable {
    public var name: SQLTableName
    /// `TABLE` or `VIEW`, as JDBC's `DatabaseMetaData.getTables` names them.
    public var type: String

    public init(name: SQLTableName, type: String) {
        self.name = name
        self.type = type
    }
}

/// A column of an existing table, as the sink needs to decide ALTER TABLE and the source to type records.
public struct SQLColumnInfo: Sendable, Hashable {
    public var name: String
    /// The database's type name, lower-cased (`integer`, `numeric`, `varchar`, `timestamp without time zone`...).
    public var typeName: String
    public var isNullable: Bool
    /// Numeric precision or character length when the database reports one.
    public var precision: Int?
    public var scale: Int?
    public var isAutoIncrement: Bool
    /// The default expression text, or nil.
    public var defaultValue: String?

    public init(
        name: String, typeName: String, isNullable: Bool, precision: Int? = nil, scale: Int? = nil,
        isAutoIncrement: Bool = false, defaultValue: String? = nil
    ) {
        self.name = name
        self.typeName = typeName
        self.isNullable = isNullable
        self.precision = precision
        self.scale = scale
        self.isAutoIncrement = isAutoIncrement
        self.defaultValue = defaultValue
    }
}

/// A unique index (or the primary key) of a table.
public struct SQLIndexInfo: Sendable, Hashable {
    public var name: String
    public var columns: [String]
    public var isPrimaryKey: Bool

    public init(name: String, columns: [String], isPrimaryKey: Bool) {
        self.name = name
        self.columns = columns
        self.isPrimaryKey = isPrimaryKey
    }
}

/// A column for CREATE TABLE / ALTER TABLE ADD: the SQL type text comes from `SQLDialect.sqlType(for:isKey:)`.
public struct SQLColumnDefinition: Sendable, Hashable {
    public var name: String
    public var sqlType: String
    public var isNullable: Bool
    public var isPrimaryKey: Bool

    public init(name: String, sqlType: String, isNullable: Bool, isPrimaryKey: Bool = false) {
        self.name = name
        self.sqlType = sqlType
        self.isNullable = isNullable
        self.isPrimaryKey = isPrimaryKey
    }
}

/// Metadata of a result column, from the driver's result description.
public struct SQLColumn: Sendable, Hashable {
    public var name: String
    /// The database type name (`int8`, `numeric`, `DATETIME`, SQLite declared type...), lower-cased.
    public var typeName: String
    /// PostgreSQL type OID / MySQL field type number; 0 for SQLite.
    public var typeCode: Int
    public var precision: Int?
    public var scale: Int?
    /// Nil when the driver cannot tell (PostgreSQL results do not carry nullability).
    public var isNullable: Bool?

    public init(name: String, typeName: String, typeCode: Int, precision: Int?, scale: Int?, isNullable: Bool?) {
        self.name = name
        self.typeName = typeName
        self.typeCode = typeCode
        self.precision = precision
        self.scale = scale
        self.isNullable = isNullable
    }
}
