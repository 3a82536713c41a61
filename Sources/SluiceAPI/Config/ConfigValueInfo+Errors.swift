extension Array where Element == ConfigValueInfo {
    /// Adds `message` to `key`'s errors (once), appending an entry for `key` with `value` when the definition has none.
    ///
    /// Connectors' `validate` use it for checks beyond the ConfigDef (reaching the database, server settings), so
    /// `PUT .../config/validate` reports them on the key the user has to change.
    public mutating func addError(_ key: String, _ message: String, value: String?) {
        if let i = firstIndex(where: { $0.name == key }) {
            if !self[i].errors.contains(message) { self[i].errors.append(message) }
        } else {
            append(ConfigValueInfo(name: key, value: value, errors: [message]))
        }
    }
}
