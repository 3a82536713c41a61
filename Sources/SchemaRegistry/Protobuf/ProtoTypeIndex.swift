/// The messages and enums a parsed `.proto` file declares, by full name (`package.Outer.Inner`), and protobuf's
/// name resolution: a type reference is looked up from the innermost enclosing scope outwards.
struct ProtoTypeIndex {
    var messages: [String: ProtoMessage] = [:]
    var enums: [String: ProtoEnum] = [:]
    let package: [String]

    init(_ file: ProtoFile) {
        package = file.package.map { $0.split(separator: ".").map(String.init) } ?? []
        for m in file.messages { add(m, scope: package) }
        for e in file.enums { enums[(package + [e.name]).joined(separator: ".")] = e }
    }

    mutating func add(_ m: ProtoMessage, scope: [String]) {
        let path = scope + [m.name]
        messages[path.joined(separator: ".")] = m
        for n in m.messages { add(n, scope: path) }
        for e in m.enums { enums[(path + [e.name]).joined(separator: ".")] = e }
    }

    /// The full name `type` refers to from inside the message whose full-name components are `scope`, or nil.
    func resolve(_ type: String, scope: [String]) -> String? {
        if type.hasPrefix(".") {
            let full = String(type.dropFirst())
            return messages[full] != nil || enums[full] != nil ? full : nil
        }
        var s = scope
        while true {
            let full = (s + [type]).joined(separator: ".")
            if messages[full] != nil || enums[full] != nil { return full }
            if s.isEmpty { return nil }
            s.removeLast()
        }
    }
}
