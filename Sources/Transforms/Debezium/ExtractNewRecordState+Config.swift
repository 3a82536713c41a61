import SluiceAPI

extension ExtractNewRecordState {
    public static let deleteTombstoneHandlingModeConfig = "delete.tombstone.handling.mode"
    public static let dropTombstonesConfig = "drop.tombstones"
    public static let deleteHandlingModeConfig = "delete.handling.mode"
    public static let routeByFieldConfig = "route.by.field"
    public static let addFieldsConfig = "add.fields"
    public static let addFieldsPrefixConfig = "add.fields.prefix"
    public static let addHeadersConfig = "add.headers"
    public static let addHeadersPrefixConfig = "add.headers.prefix"
    public static let dropFieldsHeaderNameConfig = "drop.fields.header.name"
    public static let dropFieldsFromKeyConfig = "drop.fields.from.key"
    public static let dropFieldsKeepSchemaCompatibleConfig = "drop.fields.keep.schema.compatible"
    public static let replaceNullWithDefaultConfig = "replace.null.with.default"

    static let fieldListValidator = ConfigValidator("comma-separated fields, optionally struct.field and field:newName") { key, v in
        for spec in v.listValue ?? [] where !spec.isEmpty {
            do { _ = try EnvelopeFieldReference(prefix: "", spec: spec) } catch let e as ConnectError {
                throw ConnectError.invalidConfig(key, spec, e.message)
            }
        }
    }

    public static let configDef = ConfigDef([
        ConfigKey(deleteTombstoneHandlingModeConfig, .string, default: .value(nil),
                  validator: .oneOf(DeleteHandling.Mode.allCases.map(\.rawValue), caseInsensitive: true),
                  importance: .medium, doc: "How to handle delete and tombstone records: drop (remove both), tombstone "
                    + "(the default: keep only a tombstone for each delete), rewrite (drop tombstones, turn deletes into "
                    + "the old row with __deleted=true), rewrite-with-tombstone (rewrite and keep tombstones), "
                    + "delete-to-tombstone (turn deletes into tombstones, drop the original tombstones).",
                  width: .medium, recommendedValues: DeleteHandling.Mode.allCases.map(\.rawValue)),
        ConfigKey(dropTombstonesConfig, .boolean, default: .value("true"), importance: .low,
                  doc: "Deprecated, use delete.tombstone.handling.mode. Drop tombstone records from the stream."),
        ConfigKey(deleteHandlingModeConfig, .string, default: .value("drop"),
                  validator: .oneOf(["drop", "rewrite", "none"], caseInsensitive: true), importance: .low,
                  doc: "Deprecated, use delete.tombstone.handling.mode. How to handle delete records: drop, rewrite or none."),
        ConfigKey(routeByFieldConfig, .string, default: .value(""), importance: .low,
                  doc: "The column which determines how the events will be routed, the value will replace the topic name."),
        ConfigKey(addFieldsConfig, .list, default: .value(""), validator: fieldListValidator, importance: .low, doc: "Adds each field listed, prefixed with __ (or __<struct>_ if the struct is specified). "
                    + "Example: 'version,connector,source.ts_ms' would add __version, __connector and __source_ts_ms fields. "
                    + "Optionally one can also map new field name like version:VERSION,connector:CONNECTOR,source.ts_ms:EVENT_TIMESTAMP."),
        ConfigKey(addFieldsPrefixConfig, .string, default: .value("__"), importance: .low,
                  doc: "Adds this prefix to each field listed."),
        ConfigKey(addHeadersConfig, .list, default: .value(""), validator: fieldListValidator, importance: .low, doc: "Adds each field listed to the header, __ (or __<struct>_ if the struct is specified)."),
        ConfigKey(addHeadersPrefixConfig, .string, default: .value("__"), importance: .low,
                  doc: "Adds this prefix listed to each header."),
        ConfigKey(dropFieldsHeaderNameConfig, .string, default: .value(nil), importance: .low,
                  doc: "Specifies the name of a header that contains a list of fields to be removed from the event value."),
        ConfigKey(dropFieldsFromKeyConfig, .boolean, default: .value("false"), importance: .low,
                  doc: "Specifies whether to apply the drop fields behavior to the event key as well as the value."),
        ConfigKey(dropFieldsKeepSchemaCompatibleConfig, .boolean, default: .value("true"), importance: .low,
                  doc: "true: only optional fields are dropped, so schemas stay compatible; false: every listed field is dropped."),
        ConfigKey(replaceNullWithDefaultConfig, .boolean, default: .value("true"), importance: .low,
                  doc: "When enabled, null field values are replaced by source-defined defaults when rewriting the record."),
    ])

    struct Config: Sendable {
        var handling: DeleteHandling
        var routeByField: String?
        var addFields: [EnvelopeFieldReference]
        var addHeaders: [EnvelopeFieldReference]
        var dropFieldsHeader: String?
        var dropFieldsFromKey: Bool
        var dropFieldsKeepSchemaCompatible: Bool
        var replaceNullWithDefault: Bool

        init(_ props: [String: String]) throws {
            let c = try ExtractNewRecordState.configDef.parse(props)
            let mode = c.string(deleteTombstoneHandlingModeConfig) ?? ""
            let legacyGiven = props[dropTombstonesConfig] != nil || props[deleteHandlingModeConfig] != nil
            if !mode.isEmpty {
                handling = DeleteHandling(mode: DeleteHandling.Mode(rawValue: mode.lowercased()) ?? .tombstone)
            } else if legacyGiven {
                handling = DeleteHandling(dropTombstones: c.bool(dropTombstonesConfig),
                                          legacyMode: c.string(deleteHandlingModeConfig, default: "drop"))
            } else {
                handling = DeleteHandling(mode: .tombstone)
            }
            let route = c.string(routeByFieldConfig) ?? ""
            routeByField = route.isEmpty ? nil : route
            addFields = try EnvelopeFieldReference.parseList(prefix: c.string(addFieldsPrefixConfig, default: "__"), c.list(addFieldsConfig))
            addHeaders = try EnvelopeFieldReference.parseList(prefix: c.string(addHeadersPrefixConfig, default: "__"), c.list(addHeadersConfig))
            let dropHeader = c.string(dropFieldsHeaderNameConfig) ?? ""
            dropFieldsHeader = dropHeader.isEmpty ? nil : dropHeader
            dropFieldsFromKey = c.bool(dropFieldsFromKeyConfig)
            dropFieldsKeepSchemaCompatible = c.bool(dropFieldsKeepSchemaCompatibleConfig)
            replaceNullWithDefault = c.bool(replaceNullWithDefaultConfig)
        }
    }
}
