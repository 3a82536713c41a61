/// An option value in protobuf text format: a quoted string, a bare constant, a list, or a message.
/// A class: the value is recursive (lists and messages of values).
final class ProtoTextValue {
    enum Kind { case string, constant, list, message }
    let kind: Kind
    let text: String
    let elements: [ProtoTextValue]
    let fields: [(String, ProtoTextValue)]

    init(kind: Kind, text: String = "", elements: [ProtoTextValue] = [], fields: [(String, ProtoTextValue)] = []) {
        self.kind = kind
        self.text = text
        self.elements = elements
        self.fields = fields
    }

    static func string(_ s: String) -> ProtoTextValue { ProtoTextValue(kind: .string, text: s) }
    static func constant(_ s: String) -> ProtoTextValue { ProtoTextValue(kind: .constant, text: s) }
    static func list(_ l: [ProtoTextValue]) -> ProtoTextValue { ProtoTextValue(kind: .list, elements: l) }
    static func message(_ f: [(String, ProtoTextValue)]) -> ProtoTextValue { ProtoTextValue(kind: .message, fields: f) }

    func field(_ name: String) -> ProtoTextValue? {
        kind == .message ? fields.first { $0.0 == name }?.1 : nil
    }

    /// The elements of a list (a single message counts as a list of one, as text format allows).
    var items: [ProtoTextValue]? {
        switch kind {
        case .list: return elements
        case .message: return [self]
        default: return nil
        }
    }

    var scalar: String? { kind == .string || kind == .constant ? text : nil }

    /// The value as option text (`"x"`, `true`); aggregates are re-emitted on one line.
    var literal: String {
        switch kind {
        case .string: return ProtoPrinter.quote(text)
        case .constant: return text
        case .list: return "[" + elements.map(\.literal).joined(separator: ", ") + "]"
        case .message: return "{ " + fields.map { "\($0.0): \($0.1.literal)" }.joined(separator: ", ") + " }"
        }
    }
}
