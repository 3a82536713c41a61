/// A message field: label, type name as written (`int32`, `Inner`, `google.protobuf.Timestamp`), name, number,
/// plain options (`json_name = "value"`) and Confluent's `(confluent.field_meta)` parameters.
public struct ProtoField: Sendable, Hashable {
    public enum Label: String, Sendable, Hashable {
        case none = "", optional, repeated, required
    }

    /// One `{key: …, value: …}` entry of `(confluent.field_meta).params`. Confluent 7.0.16 prints the Decimal
    /// parameters value-first and `connect.type` key-first; `valueFirst` keeps that so the text (hence the id) matches.
    public struct MetaParam: Sendable, Hashable {
        public var key: String
        public var value: String
        public var valueFirst: Bool
        public init(_ key: String, _ value: String, valueFirst: Bool = false) {
            self.key = key
            self.value = value
            self.valueFirst = valueFirst
        }
    }

    public var label: Label
    public var type: String
    public var name: String
    public var number: Int
    public var options: [ProtoOption]
    public var meta: [MetaParam]

    public init(label: Label = .none, type: String, name: String, number: Int, options: [ProtoOption] = [], meta: [MetaParam] = []) {
        self.label = label
        self.type = type
        self.name = name
        self.number = number
        self.options = options
        self.meta = meta
    }

    /// The value of the `field_meta` parameter `key`, if any.
    public func metaValue(_ key: String) -> String? { meta.first { $0.key == key }?.value }
}
