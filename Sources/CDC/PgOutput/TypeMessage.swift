/// `Y`: names a non-builtin type (enum, domain, composite, extension type) before a relation uses it.
public struct TypeMessage: Sendable, Hashable {
    public var oid: UInt32
    public var namespace: String
    public var name: String

    public init(oid: UInt32, namespace: String, name: String) {
        self.oid = oid
        self.namespace = namespace
        self.name = name
    }

    static func decode(_ r: inout ByteReader) throws -> TypeMessage {
        let oid = try r.uint32("type OID")
        let ns = try r.cString("type namespace")
        let name = try r.cString("type name")
        return TypeMessage(oid: oid, namespace: ns, name: name)
    }
}
