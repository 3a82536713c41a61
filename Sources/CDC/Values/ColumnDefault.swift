import SluiceAPI

/// A column's `DEFAULT` as the default value of its Connect field schema, following Debezium's
/// `PostgresDefaultValueConverter`: the literal of the expression (`'2020-01-02'::date` → `2020-01-02`, `(-1)` → `-1`)
/// goes through the column's own conversion; a function call (`now()`, `nextval(...)`) becomes the type's neutral
/// value (0, epoch, empty string); types Debezium gives no default (variable-scale numeric, arrays, bytea, hstore,
/// geometry, bit strings) get none, and neither does anything that does not convert.
///
/// One deliberate difference: Debezium reads the literal up to the first quote (`'x''y'` gives `x`); Sluice
/// unescapes it (`x'y`), listed in COMPATIBILITY.md.
enum ColumnDefault {
    /// The PostgreSQL types Debezium has a default-value mapper for (plus enums); any other type (citext, inet,
    /// ranges, ltree, domains, ...) gets no default.
    static let mappedTypes: Set<String> = [
        "bool", "bit", "varbit", "bpchar", "char", "varchar", "text", "date", "float4", "float8", "int2", "int4", "int8",
        "json", "jsonb", "interval", "money", "numeric", "time", "timestamp", "timestamptz", "timetz", "uuid",
    ]

    static func value(expression: String, conversion: ColumnConversion, type: PgType? = nil) -> Value? {
        if let type {
            if case .enumeration = type.kind {} else if !mappedTypes.contains(type.name) { return nil }
        }
        guard let placeholder = placeholder(conversion) else { return nil }
        let expr = expression.trimmingCharacters(in: .whitespaces)
        let text: String
        if isFunctionCall(expr) {
            text = placeholder
        } else if let literal = quotedLiteral(expr) {
            text = literal
        } else {
            var t = Substring(expr)
            while t.hasPrefix("("), t.hasSuffix(")") { t = t.dropFirst().dropLast() }
            if let cast = t.range(of: "::") { t = t[..<cast.lowerBound] }
            text = String(t)
        }
        guard let v = try? conversion.convertUnchecked(text), !v.isNull else { return nil }
        return v
    }

    /// `name(...)` or `(name(...))`: Debezium's FUNCTION_DEFAULT_PATTERN.
    static func isFunctionCall(_ e: String) -> Bool {
        var s = Substring(e)
        if s.hasPrefix("(") { s = s.dropFirst() }
        guard let open = s.firstIndex(of: "("), open > s.startIndex else { return false }
        let name = s[..<open]
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." } && s.contains(")")
    }

    /// The first `'...'` literal with `''` unescaped.
    static func quotedLiteral(_ e: String) -> String? {
        guard let start = e.firstIndex(of: "'") else { return nil }
        var out = ""
        var i = e.index(after: start)
        while i < e.endIndex {
            if e[i] == "'" {
                let next = e.index(after: i)
                if next < e.endIndex, e[next] == "'" {
                    out.append("'")
                    i = e.index(after: next)
                    continue
                }
                return out
            }
            out.append(e[i])
            i = e.index(after: i)
        }
        return nil
    }

    /// The text a function default stands for, per conversion; nil when Debezium gives the type no default.
    static func placeholder(_ c: ColumnConversion) -> String? {
        switch c {
        case .boolean: return "false"
        case .bit: return "0"
        case .int16, .int32, .int64: return "0"
        case .float32, .float64, .decimal, .decimalAsDouble, .decimalAsString, .money: return "0.0"
        case .string: return ""
        case .dateDays: return "1970-01-01"
        case .timeMillis, .timeMicros: return "00:00:00"
        case .timestampMillis, .timestampMicros: return "1970-01-01 00:00:00"
        case .zonedTimestamp: return "1970-01-01 00:00:00+00"
        case .zonedTime: return "00:00:00+00"
        case .intervalMicros, .intervalString: return "00:00:00"
        case .variableScaleDecimal, .bytes, .bits, .hstoreJSON, .hstoreMap, .point, .unknownBytes, .array:
            return nil
        }
    }
}

extension Schema {
    /// This schema with `defaultValue` set (Schema is immutable).
    func withDefault(_ value: Value) -> Schema {
        Schema(type: type, isOptional: isOptional, defaultValue: value, name: name, version: version, doc: doc,
               parameters: parameters, fields: fields.map { ($0.name, $0.schema) }, keySchema: keySchema, valueSchema: valueSchema)
    }
}
