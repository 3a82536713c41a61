import Foundation
import SluiceAPI

/// Resolves `${provider:[path:]key}` placeholders with Kafka's built-in config providers:
/// `file` (FileConfigProvider: a key in a properties file), `directory` (DirectoryConfigProvider: a file's content)
/// and `env` (EnvVarConfigProvider: an environment variable).
struct ConfigProviders: Sendable {
    let enabled: [String: String]  // alias → class

    init(workerProps: [String: String]) {
        var e: [String: String] = [:]
        for alias in (workerProps["config.providers"] ?? "").split(separator: ",").map({ String($0).trimmedWS }) where !alias.isEmpty {
            e[alias] = workerProps["config.providers.\(alias).class"] ?? alias
        }
        enabled = e
    }

    func resolve(_ props: [String: String]) throws -> [String: String] {
        if enabled.isEmpty { return props }
        var out = props
        for (k, v) in props where v.contains("${") { out[k] = try substitute(v, key: k) }
        return out
    }

    func substitute(_ text: String, key: String) throws -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { result += rest[start.lowerBound...]; return result }
            let body = String(rest[start.upperBound..<end])
            rest = rest[rest.index(after: end)...]
            let parts = body.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let cls = enabled[parts[0]] else { result += "${\(body)}"; continue }
            result += try lookup(provider: parts[0], className: cls, spec: parts[1], key: key)
        }
        return result + rest
    }

    func lookup(provider: String, className: String, spec: String, key: String) throws -> String {
        let kind = className.lowercased()
        if kind.contains("env") {
            let name = spec.hasPrefix(":") ? String(spec.dropFirst()) : spec
            guard let v = ProcessInfo.processInfo.environment[name] else {
                throw ConnectError.invalidConfig(key, "${\(provider):\(spec)}", "environment variable \(name) is not set")
            }
            return v
        }
        // path:key — the path may itself contain ':' only on Windows; split at the last ':'.
        guard let colon = spec.lastIndex(of: ":") else {
            throw ConnectError.invalidConfig(key, "${\(provider):\(spec)}", "expected ${\(provider):path:key}")
        }
        let path = String(spec[..<colon])
        let name = String(spec[spec.index(after: colon)...])
        if kind.contains("directory") {
            let file = (path as NSString).appendingPathComponent(name)
            guard let d = FileManager.default.contents(atPath: file) else {
                throw ConnectError.invalidConfig(key, "${\(provider):\(spec)}", "cannot read \(file)")
            }
            return String(decoding: d, as: UTF8.self)
        }
        let props = try JavaProperties.load(path: path)
        guard let v = props[name] else {
            throw ConnectError.invalidConfig(key, "${\(provider):\(spec)}", "no key \(name) in \(path)")
        }
        return v
    }
}
