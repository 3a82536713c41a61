import SluiceAPI

/// How to decode one message into a Connect value: built once per registered schema by `ProtobufToConnect`, then
/// used for every record. Immutable after construction.
final class ProtoReadMessage: @unchecked Sendable {
    struct FieldPlan {
        var name: String
        var kind: ProtoReadKind
        var repeated: Bool
        /// The Connect value when the field is absent (proto3 default: 0, "", false, [], or null for messages).
        var absent: Value
    }
    let schema: Schema
    var fields: [FieldPlan] = []
    var byNumber: [Int: Int] = [:] {
        didSet {
            let top = byNumber.keys.filter { $0 < 256 }.max() ?? -1
            dense = [Int32](repeating: -1, count: top + 1)
            for (n, i) in byNumber where n < 256 { dense[n] = Int32(i) }
        }
    }
    /// `byNumber` for field numbers below 256 as an array (-1: no such field): a record's fields are found without
    /// hashing one number each.
    private(set) var dense: [Int32] = []

    init(schema: Schema) { self.schema = schema }

    /// The index in `fields` of field `number`, or nil.
    @inline(__always) func index(_ number: Int) -> Int? {
        if number >= 0 && number < dense.count {
            let i = dense[number]
            return i < 0 ? nil : Int(i)
        }
        return byNumber[number]
    }
}

/// The wire-level type of a field and the Connect value it becomes.
indirect enum ProtoReadKind {
    case int32(SchemaType)
    case sint32, sfixed32
    case int64, sint64, sfixed64, uint32, fixed32, uint64, fixed64
    case float, double, bool, string, bytes
    case enumeration(names: [Int: String])
    case message(ProtoReadMessage)
    /// A map field: the entry message's key and value plans.
    case map(key: ProtoReadKind, keyAbsent: Value, value: ProtoReadKind, valueAbsent: Value)
    case timestamp, date, timeOfDay, decimal

    var packable: Bool {
        switch self {
        case .string, .bytes, .message, .map, .timestamp, .date, .timeOfDay, .decimal: return false
        default: return true
        }
    }
}
