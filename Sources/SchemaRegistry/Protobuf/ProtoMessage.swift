/// A protobuf message declaration: its fields in declaration order, then nested messages and enums (nested types
/// are printed after the fields, as Wire's `MessageElement.toSchema()` does).
public struct ProtoMessage: Sendable, Hashable {
    public var name: String
    public var fields: [ProtoField]
    public var messages: [ProtoMessage]
    public var enums: [ProtoEnum]

    public init(name: String, fields: [ProtoField] = [], messages: [ProtoMessage] = [], enums: [ProtoEnum] = []) {
        self.name = name
        self.fields = fields
        self.messages = messages
        self.enums = enums
    }
}
