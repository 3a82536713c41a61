/// A protobuf enum: constants in declaration order with their numbers.
public struct ProtoEnum: Sendable, Hashable {
    public struct Constant: Sendable, Hashable {
        public var name: String
        public var number: Int
        public init(_ name: String, _ number: Int) {
            self.name = name
            self.number = number
        }
    }
    public var name: String
    public var constants: [Constant]

    public init(name: String, constants: [Constant]) {
        self.name = name
        self.constants = constants
    }
}
