/// What the stream processor must ask the database: facts pgoutput does not send (primary key, NOT NULL columns,
/// enum labels, domain bases). The live implementation queries `pg_catalog`; tests supply fixed answers.
public protocol CatalogSource: Sendable {
    func tableInfo(_ id: TableId) throws -> TableSchema.CatalogInfo
    /// Describes a non-builtin type, or nil when unknown.
    func type(oid: UInt32) throws -> PgType?
}

/// A catalog with fixed answers (tests, or when no database lookups are wanted).
public struct StaticCatalog: CatalogSource {
    public var tables: [TableId: TableSchema.CatalogInfo]
    public var types: [UInt32: PgType]
    public init(tables: [TableId: TableSchema.CatalogInfo] = [:], types: [UInt32: PgType] = [:]) {
        self.tables = tables
        self.types = types
    }
    public func tableInfo(_ id: TableId) throws -> TableSchema.CatalogInfo { tables[id] ?? TableSchema.CatalogInfo() }
    public func type(oid: UInt32) throws -> PgType? { types[oid] }
}
