import Synchronization

/// Consecutive `FieldProgramTransformation`s working on the same side of a record, run as one pass per record.
///
/// Why: a runtime chain of InsertField → ReplaceField → Cast otherwise rebuilds the struct, looks a plan up and
/// swaps the record's schema three times per record. Here the stages' programs are composed once per input schema
/// (cached by identity, as Kafka caches updated schemas), and each record costs one lookup and one array of
/// output values. Records the programs do not cover (null or schemaless sides, a struct whose schema is not the
/// record's, a configuration without a program) go through the stages' own `applyInPlace`, one after the other,
/// so the results are the same either way. One difference remains: a record on which two stages would both
/// throw reports the error of the first failing output field (conversions run field by field, each field through
/// all stages) rather than necessarily the first stage's; either way the record fails in the transformation stage.
public final class FieldProgramChain: InPlaceTransformation, Sendable {
    /// The stages, in order; they stay configured and owned by the caller (this chain only runs them).
    public let stages: [any FieldProgramTransformation]
    private let key: Bool
    private let cache = Mutex(Cache())
    private static let cacheLimit = 256

    /// A composed program, flattened for the per-record loop.
    private final class Compiled: Sendable {
        let schema: Schema
        let sources: [FieldProgram.Source]
        /// The conversions of output field `j` are `conversions[start[j]..<start[j + 1]]`.
        let start: [Int]
        let conversions: [FieldProgram.Conversion]
        /// `FieldProgram.checks`: conversions run for their errors only.
        let checks: [(source: FieldProgram.Source, conversions: [FieldProgram.Conversion])]

        init(_ p: FieldProgram) {
            schema = p.schema
            sources = p.sources
            checks = p.checks
            var start = [0]
            var conversions: [FieldProgram.Conversion] = []
            for list in p.conversions {
                conversions += list
                start.append(conversions.count)
            }
            self.start = start
            self.conversions = conversions
        }
    }

    private struct Cache {
        /// The most recent input schema, compared by identity first (a task usually sees one schema for long runs).
        var lastInput: Schema?
        var lastProgram: Compiled?
        /// Input schemas are held strongly, so an `ObjectIdentifier` cannot be reused while its entry exists.
        var entries: [ObjectIdentifier: (input: Schema, program: Compiled?)] = [:]
    }

    /// Nil unless there are at least two stages and all work on the same side.
    public init?(_ stages: [any FieldProgramTransformation]) {
        guard stages.count >= 2, let first = stages.first,
              stages.allSatisfy({ $0.transformsKey == first.transformsKey })
        else { return nil }
        self.stages = stages
        self.key = first.transformsKey
    }

    /// The stages are configured by whoever built them.
    public func configure(_ configs: [String: String]) throws {}

    public func close() {
        for t in stages { t.close() }
    }

    /// Each stage's own `apply`, in order (the one-pass path is for callers that own their record).
    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        var current = record
        for t in stages {
            guard let next = try t.apply(current) else { return nil }
            current = next
        }
        return current
    }

    public func applyInPlace(_ record: inout SourceRecord) throws -> Bool {
        if try runProgram(&record) { return true }
        for t in stages where try !t.applyInPlace(&record) { return false }
        return true
    }

    public func applyInPlace(_ record: inout SinkRecord) throws -> Bool {
        if try runProgram(&record) { return true }
        for t in stages where try !t.applyInPlace(&record) { return false }
        return true
    }

    /// Runs the composed program on `record` when it covers it; false (record untouched) when it does not.
    @inline(__always)
    private func runProgram<R: ConnectRecord>(_ record: inout R) throws -> Bool {
        guard let schema = key ? record.keySchema : record.valueSchema, let program = compiled(for: schema) else {
            return false
        }
        guard let values = try key ? run(program, schema, record.key) : run(program, schema, record.value) else {
            return false
        }
        let out = Value.structure(Struct(schema: program.schema, values: values))
        if key {
            record.key = out
            record.keySchema = program.schema
        } else {
            record.value = out
            record.valueSchema = program.schema
        }
        return true
    }

    /// The output values for `value`, or nil when `value` is not a struct of exactly `schema`.
    @inline(__always)
    private func run(_ p: Compiled, _ schema: Schema, _ value: Value) throws -> [Value]? {
        guard case .structure(let s) = value, s.schema === schema, s.values.count == schema.fields.count else {
            return nil
        }
        var out: [Value] = []
        out.reserveCapacity(p.sources.count)
        try s.values.withUnsafeBufferPointer { src in
            for c in p.checks {
                var v: Value
                switch c.source {
                case .input(let k): v = src[k]
                case .constant(let constant): v = constant
                }
                for f in c.conversions { v = try f(v) }
            }
            for j in p.sources.indices {
                var v: Value
                switch p.sources[j] {
                case .input(let k): v = src[k]
                case .constant(let c): v = c
                }
                var i = p.start[j]
                let end = p.start[j + 1]
                while i < end {
                    v = try p.conversions[i](v)
                    i += 1
                }
                out.append(v)
            }
        }
        return out
    }

    /// The composed program for input `schema` (nil when a stage has none), built once per schema.
    private func compiled(for schema: Schema) -> Compiled? {
        let hit: Compiled?? = cache.withLock { c in
            if c.lastInput === schema { return .some(c.lastProgram) }
            guard let e = c.entries[ObjectIdentifier(schema)] else { return nil }
            c.lastInput = e.input
            c.lastProgram = e.program
            return .some(e.program)
        }
        if let hit { return hit }
        let built = build(schema)
        cache.withLock { c in
            if c.entries.count >= FieldProgramChain.cacheLimit { c.entries.removeAll(keepingCapacity: true) }
            c.entries[ObjectIdentifier(schema)] = (schema, built)
            c.lastInput = schema
            c.lastProgram = built
        }
        return built
    }

    private func build(_ schema: Schema) -> Compiled? {
        guard var program = (try? stages[0].fieldProgram(for: schema)) ?? nil else { return nil }
        for t in stages.dropFirst() {
            guard let next = (try? t.fieldProgram(for: program.schema)) ?? nil else { return nil }
            program = program.then(next)
        }
        return Compiled(program)
    }
}
