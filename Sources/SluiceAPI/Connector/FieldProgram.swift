/// What a struct-reshaping transformation does to one side of a record, written per output field: where its value
/// comes from (an input field or a constant) and the conversions applied to it, for one input schema.
///
/// Why: a chain of SMTs such as InsertField → ReplaceField → Cast rebuilds the struct, looks its plan up and swaps
/// the record's schema once per stage, and the reference counting of those steps costs more than the work itself.
/// Programs compose (`then`), so `FieldProgramChain` runs such a chain as one pass per record, with the output
/// schema instance each stage would have produced.
public struct FieldProgram: Sendable {
    /// Where an output field's value comes from.
    public enum Source: Sendable {
        /// The input struct's value at this field position.
        case input(Int)
        /// The same value for every record (InsertField's static field).
        case constant(Value)
    }

    /// A per-value conversion (a cast, a null replaced by the field's default). It throws exactly what the
    /// transformation itself would throw for that value.
    public typealias Conversion = @Sendable (Value) throws -> Value

    /// The output schema: the very instance the transformation gives records of this input schema.
    public let schema: Schema
    /// One per output field, in the output schema's field order.
    public let sources: [Source]
    /// One list per output field, applied in order after the value is taken from its source.
    public let conversions: [[Conversion]]
    /// Conversions of values a later stage dropped: run for their errors only, since the stages run one by one
    /// would have thrown there (a Cast of a field that a following ReplaceField excludes).
    public let checks: [(source: Source, conversions: [Conversion])]

    public init(
        schema: Schema, sources: [Source], conversions: [[Conversion]]? = nil,
        checks: [(source: Source, conversions: [Conversion])] = []
    ) {
        precondition(sources.count == schema.fields.count, "a field program needs one source per output field")
        self.schema = schema
        self.sources = sources
        self.conversions = conversions ?? Array(repeating: [], count: sources.count)
        self.checks = checks
        precondition(self.conversions.count == sources.count, "a field program needs one conversion list per output field")
    }

    /// The program doing `self`, then `next` on its output (`next` was made for `self.schema`).
    public func then(_ next: FieldProgram) -> FieldProgram {
        var sources: [Source] = []
        var conversions: [[Conversion]] = []
        sources.reserveCapacity(next.sources.count)
        conversions.reserveCapacity(next.sources.count)
        var used = Array(repeating: false, count: self.sources.count)
        for j in next.sources.indices {
            switch next.sources[j] {
            case .constant(let v):
                sources.append(.constant(v))
                conversions.append(next.conversions[j])
            case .input(let k):
                used[k] = true
                sources.append(self.sources[k])
                conversions.append(self.conversions[k] + next.conversions[j])
            }
        }
        var checks = self.checks
        for k in self.sources.indices where !used[k] && !self.conversions[k].isEmpty {
            checks.append((self.sources[k], self.conversions[k]))
        }
        for c in next.checks {
            switch c.source {
            case .constant: checks.append(c)
            case .input(let k): checks.append((self.sources[k], self.conversions[k] + c.conversions))
            }
        }
        return FieldProgram(schema: next.schema, sources: sources, conversions: conversions, checks: checks)
    }
}

/// A transformation that can describe its effect on schemaful struct records as a `FieldProgram`.
///
/// Contract: for a record whose transformed side is a `Struct` `s` with `s.schema === schema`, the record's side
/// schema also `schema`, and one value per field, `applyInPlace` sets that side to
/// `Struct(schema: program.schema, values: <program applied to s.values>)` and the side schema to
/// `program.schema`, touching nothing else; a conversion throws what `applyInPlace` would throw. The program may
/// not depend on anything but the schema and the configuration. Return nil when this schema or configuration
/// has no such program (the chain then runs `applyInPlace` for those records).
public protocol FieldProgramTransformation: InPlaceTransformation {
    /// Whether the transformation works on the record's key (`$Key`) rather than its value (`$Value`).
    var transformsKey: Bool { get }

    /// The program for input schema `schema`, or nil. A throw means the same as nil (the transformation itself
    /// will report the problem per record).
    func fieldProgram(for schema: Schema) throws -> FieldProgram?
}
