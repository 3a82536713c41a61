import SluiceAPI

/// Config validators the built-in transforms share (Kafka's `NonEmptyListValidator`, `NonEmptyString`, ...).
enum TransformValidators {
    static let nonEmptyList = ConfigValidator("non-empty list") { key, v in
        if let l = v.listValue, l.isEmpty || l.allSatisfy({ $0.isEmpty }) {
            throw ConnectError.invalidConfig(key, v.text ?? "", "Empty list")
        }
    }

    static let nonEmptyString = ConfigValidator("non-empty string") { key, v in
        if let s = v.stringValue, s.isEmpty {
            throw ConnectError.invalidConfig(key, s, "String must be non-empty")
        }
    }

    /// A non-empty, valid regular expression.
    static let regex = ConfigValidator("valid regex") { key, v in
        guard let s = v.stringValue else { return }
        if s.isEmpty { throw ConnectError.invalidConfig(key, s, "String must be non-empty") }
        do { _ = try Regex(s) } catch {
            throw ConnectError.invalidConfig(key, s, "Invalid regex: \(error)")
        }
    }

    /// A Java `SimpleDateFormat` pattern our formatter understands (empty allowed: "not set").
    static let dateFormat = ConfigValidator("SimpleDateFormat pattern") { key, v in
        guard let s = v.stringValue, !s.isEmpty else { return }
        do { _ = try JavaDateFormat(s) } catch let e as ConnectError {
            throw ConnectError.invalidConfig(key, s, e.message)
        }
    }
}

/// Config keys several transforms share.
enum CommonConfig {
    static let replaceNullWithDefault = "replace.null.with.default"

    /// KIP-1040's `replace.null.with.default`: whether a null field with a schema default reads as the default
    /// (`Struct.get`) or stays null (`Struct.getWithoutDefault`).
    static let replaceNullWithDefaultKey = ConfigKey(
        replaceNullWithDefault, .boolean, default: .value("true"), importance: .medium,
        doc: "Whether to replace fields that have a default value and that are null to the default value. When set to "
            + "true, the default value is used, otherwise null is used.")
}

extension Struct {
    /// The value of field `name` with or without default substitution; `.null` for an unknown name.
    func value(_ name: String, defaults: Bool) -> Value {
        guard let f = schema.field(name) else { return .null }
        let v = values[f.index]
        if defaults, v.isNull, let d = f.schema.defaultValue { return d }
        return v
    }
}
