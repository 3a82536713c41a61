/// Schema Registry compatibility levels (`schema.compatibility.level`, `PUT /config`). BACKWARD is the default.
public enum CompatibilityLevel: String, Sendable, CaseIterable {
    case none = "NONE", backward = "BACKWARD", backwardTransitive = "BACKWARD_TRANSITIVE"
    case forward = "FORWARD", forwardTransitive = "FORWARD_TRANSITIVE", full = "FULL", fullTransitive = "FULL_TRANSITIVE"

    public init?(text: String) { self.init(rawValue: text.uppercased()) }

    var transitive: Bool { self == .backwardTransitive || self == .forwardTransitive || self == .fullTransitive }
    /// Whether the new schema must read data written with the old (new = reader).
    var checksBackward: Bool { [.backward, .backwardTransitive, .full, .fullTransitive].contains(self) }
    /// Whether the old schema must read data written with the new.
    var checksForward: Bool { [.forward, .forwardTransitive, .full, .fullTransitive].contains(self) }
}
