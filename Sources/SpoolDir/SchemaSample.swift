import SluiceAPI

/// Columns seen while sampling files for schema inference, merged across files by name.
struct SchemaSample: Sendable {
    var names: [String] = []
    var columns: [ColumnInference] = []
    /// In how many sampled rows each column was present.
    var presence: [Int] = []
    var rows = 0
    var files = 0
    private var index: [String: Int] = [:]

    /// The column slot for `name`, created on first sight (absent so far → seen as missing in earlier rows).
    mutating func slot(_ name: String) -> Int {
        if let i = index[name] { return i }
        index[name] = names.count
        names.append(name)
        columns.append(ColumnInference())
        presence.append(0)
        return names.count - 1
    }

    var isEmpty: Bool { names.isEmpty }
}
