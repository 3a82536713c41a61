import SluiceAPI

/// What ExtractNewRecordState does with tombstones, delete events and creates/updates, resolved from either
/// `delete.tombstone.handling.mode` or the deprecated `drop.tombstones` + `delete.handling.mode` pair.
struct DeleteHandling: Sendable, Hashable {
    /// The values `delete.tombstone.handling.mode` accepts.
    enum Mode: String, Sendable, CaseIterable {
        case drop, tombstone, rewrite
        case rewriteWithTombstone = "rewrite-with-tombstone"
        case deleteToTombstone = "delete-to-tombstone"
    }

    enum OnDelete: Sendable, Hashable {
        /// The delete event disappears.
        case drop
        /// A record with a null value but the row schema (what `ExtractField(after)` yields; the JDBC sink reads it as a delete).
        case nullValue
        /// A real tombstone: null value and null value schema.
        case tombstone
        /// The `before` row plus `__deleted=true`.
        case rewrite
    }

    var keepTombstones: Bool
    var onDelete: OnDelete
    /// Whether creates/updates get `__deleted=false` (and deletes `__deleted=true`).
    var rewrite: Bool

    init(mode: Mode) {
        switch mode {
        case .drop: self.init(keepTombstones: false, onDelete: .drop, rewrite: false)
        case .tombstone: self.init(keepTombstones: false, onDelete: .nullValue, rewrite: false)
        case .rewrite: self.init(keepTombstones: false, onDelete: .rewrite, rewrite: true)
        case .rewriteWithTombstone: self.init(keepTombstones: true, onDelete: .rewrite, rewrite: true)
        case .deleteToTombstone: self.init(keepTombstones: false, onDelete: .tombstone, rewrite: false)
        }
    }

    /// The deprecated pair: `drop.tombstones` (true) and `delete.handling.mode` drop|rewrite|none (drop).
    init(dropTombstones: Bool, legacyMode: String) {
        switch legacyMode.lowercased() {
        case "rewrite": self.init(keepTombstones: !dropTombstones, onDelete: .rewrite, rewrite: true)
        case "none": self.init(keepTombstones: !dropTombstones, onDelete: .nullValue, rewrite: false)
        default: self.init(keepTombstones: !dropTombstones, onDelete: .drop, rewrite: false)
        }
    }

    init(keepTombstones: Bool, onDelete: OnDelete, rewrite: Bool) {
        self.keepTombstones = keepTombstones
        self.onDelete = onDelete
        self.rewrite = rewrite
    }
}
