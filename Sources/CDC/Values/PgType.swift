/// What Sluice knows about one PostgreSQL type: enough to choose a Connect schema and parse its text form.
public struct PgType: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A builtin or extension scalar, mapped by `name` (`int4`, `hstore`, `citext`...).
        case base
        /// `CREATE TYPE ... AS ENUM`, with its labels in sort order (Debezium's `allowed` parameter).
        case enumeration([String])
        /// An array of `element`.
        case array(element: UInt32)
        /// `CREATE DOMAIN`: mapped as its base type with the domain's type modifier.
        case domain(base: UInt32, typeModifier: Int32)
        /// Composite, range, geometry or anything else without a dedicated mapping.
        case other
    }

    public var oid: UInt32
    public var name: String
    public var kind: Kind

    public init(oid: UInt32, name: String, kind: Kind = .base) {
        self.oid = oid
        self.name = name
        self.kind = kind
    }
}

/// The known types: builtins preloaded, user types added from pgoutput `Type` messages or a `pg_type` catalog query.
///
/// A value type so the decoder state stays copyable and testable without a database.
public struct PgTypeRegistry: Sendable {
    public private(set) var types: [UInt32: PgType] = [:]

    public init() {
        for (oid, name) in PgTypeOID.scalarNames { types[oid] = PgType(oid: oid, name: name) }
        for (oid, element) in PgTypeOID.arrayElements {
            types[oid] = PgType(oid: oid, name: "_" + (PgTypeOID.scalarNames[element] ?? "?"), kind: .array(element: element))
        }
    }

    public subscript(oid: UInt32) -> PgType? { types[oid] }

    public mutating func register(_ type: PgType) { types[type.oid] = type }

    /// Records a `Type` message unless a richer description (from the catalog) is already known.
    public mutating func register(_ message: TypeMessage) {
        if types[message.oid] == nil { types[message.oid] = PgType(oid: message.oid, name: message.name, kind: .other) }
    }

    /// Follows domains down to the type that decides the mapping, with the effective type modifier.
    public func resolve(_ oid: UInt32, typeModifier: Int32) -> (type: PgType, typeModifier: Int32)? {
        var current = oid
        var mod = typeModifier
        for _ in 0..<16 {  // domains over domains, bounded against catalog cycles
            guard let t = types[current] else { return nil }
            guard case .domain(let base, let baseMod) = t.kind else { return (t, mod) }
            current = base
            if mod < 0 { mod = baseMod }
        }
        return nil
    }
}
