/// The opencsv options SpoolDir exposes (`csv.*` keys), resolved to bytes so the parser never touches `Character`.
///
/// A character code of 0 means "none" (opencsv's `NULL_CHARACTER`): no quoting or no escaping.
public struct CSVOptions: Sendable, Hashable {
    /// Which empty fields become null (`csv.null.field.indicator`), as opencsv's `CSVReaderNullFieldIndicator`.
    public enum NullFieldIndicator: String, Sendable, Hashable, CaseIterable {
        case neither = "NEITHER", emptySeparators = "EMPTY_SEPARATORS", emptyQuotes = "EMPTY_QUOTES", both = "BOTH"
    }

    public var separator: UInt8 = 44
    public var quote: UInt8? = 34
    public var escape: UInt8? = 92
    public var strictQuotes = false
    public var ignoreLeadingWhitespace = true
    public var ignoreQuotations = false
    public var keepCarriageReturn = false
    public var nullFieldIndicator: NullFieldIndicator = .neither
    /// Physical lines skipped before the first record (`csv.skip.lines`).
    public var skipLines = 0

    public init() {}

    /// The RFC 4180 parser (`csv.rfc.4180.parser.enabled`) has no escape character: only doubled quotes.
    public mutating func useRFC4180() {
        escape = nil
        strictQuotes = false
        ignoreQuotations = false
    }
}
