/// A named, positioned field of a struct schema.
public struct Field: Sendable, Hashable {
    public let name: String
    public let index: Int
    public let schema: Schema

    public init(name: String, index: Int, schema: Schema) {
        self.name = name
        self.index = index
        self.schema = schema
    }
}
