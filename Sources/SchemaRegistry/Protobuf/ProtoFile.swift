/// A `.proto` file as Confluent's ProtobufConverter registers it (proto3 text): package, imports, file options and
/// top-level messages/enums. Built from a Connect schema (`ProtobufFromConnect`) or parsed from registry text
/// (`ProtoParser`); printed back with `ProtoPrinter` in the exact layout Schema Registry's `canonicalString()` uses.
public struct ProtoFile: Sendable, Hashable {
    public var syntax: String
    public var package: String?
    public var imports: [String]
    /// File options in declaration order, values as printed (`"com.google.protobuf"`, `true`).
    public var options: [ProtoOption]
    public var messages: [ProtoMessage]
    public var enums: [ProtoEnum]

    public init(syntax: String = "proto3", package: String? = nil, imports: [String] = [], options: [ProtoOption] = [],
                messages: [ProtoMessage] = [], enums: [ProtoEnum] = []) {
        self.syntax = syntax
        self.package = package
        self.imports = imports
        self.options = options
        self.messages = messages
        self.enums = enums
    }

    /// The message a Confluent message-index path (`[0]`, `[7]`, `[1, 0]`) names: the first index counts the file's
    /// top-level messages, each further one the nested messages of the previous. Nil when out of range.
    public func message(at path: [Int]) -> (message: ProtoMessage, scope: [String])? {
        guard let first = path.first, first >= 0, first < messages.count else { return nil }
        var m = messages[first]
        var scope: [String] = []
        for i in path.dropFirst() {
            guard i >= 0, i < m.messages.count else { return nil }
            scope.append(m.name)
            m = m.messages[i]
        }
        return (m, scope)
    }
}

/// One `name = value` option; `value` is kept as the literal text (a quoted string, a number, `true`, or an
/// aggregate `{ ... }` already laid out).
public struct ProtoOption: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
