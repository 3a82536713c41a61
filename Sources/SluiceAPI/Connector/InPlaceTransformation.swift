/// A transformation that can also rewrite a record the caller owns, in place.
///
/// `Transformation.apply` borrows its record and returns a new one, so every stage of a chain copies the whole
/// record (≈8 reference counts for a `SourceRecord`) and the caller destroys the old one, and the struct's value
/// array is shared with the caller's copy, so a stage changing one field copies all of them. A chain runner that
/// owns its record (the runtime's transformation chain) can instead pass it `inout` to transforms adopting this
/// protocol: no record copies, and the value array is mutated in place when no one else holds it.
///
/// Semantics are exactly `apply`'s: `true` keeps the (rewritten) record, `false` drops it. When a call throws, the
/// record's content is unspecified: keep your own copy of the original if you need it for error reporting (as
/// the runtime does for the dead letter queue).
public protocol InPlaceTransformation: Transformation {
    func applyInPlace(_ record: inout SourceRecord) throws -> Bool
    func applyInPlace(_ record: inout SinkRecord) throws -> Bool
}
