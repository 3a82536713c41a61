extension Substring {
    /// The text without leading and trailing characters of `set`; Foundation's version is not used so the
    /// converters need no Foundation for config parsing.
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
