import SluiceAPI

/// How the one value schema of a connector+topic changes when a new file arrives: pure functions, no I/O.
///
/// A file's columns are sampled and inferred on their own, then merged into the current schema field by field:
/// - a column whose values the current type already holds (int32 in an int64 field, a date in a timestamp field,
///   anything in a string field) keeps the current type;
/// - a compatible widening evolves the field: int32 → int64 → Decimal, a Decimal's scale upwards, int32 → float64
///   (exact; int64 and Decimal never become float64, which would round values);
/// - a column the schema lacks is appended as an optional field (existing rows and sinks' tables have no value
///   for it, so it can never be required);
/// - anything else (text in a numeric field, a timestamp in a date field, ...) keeps the current type, so the
///   values that do not fit fail one by one when the file is read, naming line, column and value, instead of
///   silently turning the field into a string.
/// A field is never dropped, renamed or made optional: sinks created tables from the old schema.
enum SchemaEvolution {
    /// One change a merge made, for the log line and tests.
    enum Change: Equatable, Sendable, CustomStringConvertible {
        case widened(field: String, from: String, to: String)
        case added(field: String, type: String)

        var description: String {
            switch self {
            case .widened(let f, let from, let to): return "\(f) \(from) → \(to)"
            case .added(let f, let type): return "\(f) added (optional \(type))"
            }
        }
    }

    /// The merged schema and what changed (empty when `current` already holds the file).
    struct Merge: Sendable {
        let value: Schema
        let changes: [Change]
    }

    /// Merges the schema inferred from one file (`observed`) into `current`. Column names match case-insensitively
    /// unless `caseSensitive`, as the CSV reader maps header names to fields.
    static func merge(_ current: Schema, _ observed: Schema, caseSensitive: Bool = false) -> Merge {
        func norm(_ n: String) -> String { caseSensitive ? n : n.lowercased() }
        var seen: [String: Schema] = [:]
        for f in observed.fields where seen[norm(f.name)] == nil { seen[norm(f.name)] = f.schema }
        var b = SchemaBuilder(type: .structure)
        b.name = current.name
        b.version = current.version
        b.doc = current.doc
        b.parameters = current.parameters
        b.isOptional = current.isOptional
        var changes: [Change] = []
        var known: Set<String> = []
        for f in current.fields {
            known.insert(norm(f.name))
            var schema = f.schema
            if let o = seen[norm(f.name)], let w = widened(f.schema, o) {
                changes.append(.widened(field: f.name, from: describe(f.schema), to: describe(w)))
                schema = w
            }
            b.addField(f.name, schema)
        }
        for f in observed.fields where !known.contains(norm(f.name)) {
            known.insert(norm(f.name))
            let added = optional(f.schema)
            changes.append(.added(field: f.name, type: describe(added)))
            b.addField(f.name, added)
        }
        return Merge(value: changes.isEmpty ? current : b.build(), changes: changes)
    }

    /// The types a merge reasons about; everything else (explicit INT8, BYTES, ...) only ever keeps its type.
    enum Kind: Equatable {
        case int32, int64, decimal(Int32), float64, boolean, date, timestamp, string, other

        init(_ s: Schema) {
            switch (s.type, s.name) {
            case (.bytes, Logical.decimalName?): self = .decimal(Logical.scale(of: s))
            case (.int32, Logical.dateName?): self = .date
            case (.int64, Logical.timestampName?): self = .timestamp
            case (.int32, nil): self = .int32
            case (.int64, nil): self = .int64
            case (.float64, nil): self = .float64
            case (.boolean, nil): self = .boolean
            case (.string, nil): self = .string
            default: self = .other
            }
        }
    }

    /// The widened field schema when values of `observed` need it and it is a compatible widening of `current`;
    /// nil when `current` stays (it already holds them, or nothing compatible would).
    static func widened(_ current: Schema, _ observed: Schema) -> Schema? {
        let opt = current.isOptional
        switch (Kind(current), Kind(observed)) {
        case (.int32, .int64): return Schema.primitive(.int64, optional: opt)
        case (.int32, .decimal(let s)), (.int64, .decimal(let s)): return Logical.decimal(scale: s, optional: opt)
        case (.decimal(let c), .decimal(let s)) where s > c: return Logical.decimal(scale: s, optional: opt)
        case (.int32, .float64): return Schema.primitive(.float64, optional: opt)
        default: return nil
        }
    }

    /// Whether every value of a column inferred as `observed` converts into a `current` field without loss
    /// (ignoring optionality, which the values themselves decide line by line).
    static func holds(_ current: Schema, _ observed: Schema) -> Bool {
        switch (Kind(current), Kind(observed)) {
        case (.string, _): return true
        case (let c, let o) where c == o && c != .other: return true
        case (.int64, .int32), (.float64, .int32), (.float64, .int64), (.float64, .decimal), (.timestamp, .date): return true
        case (.decimal, .int32), (.decimal, .int64): return true
        case (.decimal(let c), .decimal(let o)): return o <= c
        default: return false
        }
    }

    /// `schema` as an optional field (added columns must be optional).
    static func optional(_ schema: Schema) -> Schema { schema.withOptional(true) }

    /// A short type name for logs and errors: `INT64`, `Decimal(scale=2)`, `Date`, `Timestamp`, `STRING`.
    static func describe(_ s: Schema) -> String {
        switch Kind(s) {
        case .decimal(let scale): return "Decimal(scale=\(scale))"
        case .date: return "Date"
        case .timestamp: return "Timestamp"
        default: return s.name.map { $0.split(separator: ".").last.map(String.init) ?? $0 } ?? s.type.javaName
        }
    }
}
