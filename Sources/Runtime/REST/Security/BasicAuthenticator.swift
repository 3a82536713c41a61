import Foundation
import SluiceAPI

/// Kafka Connect's `BasicAuthSecurityRestExtension` with its `PropertyFileLoginModule`: REST callers present HTTP
/// basic credentials that must match a `user: password` line of the users file the JAAS `KafkaConnect` section names.
///
/// The JAAS file comes from the worker property `java.security.auth.login.config` or, as with Kafka's scripts, from
/// `-Djava.security.auth.login.config=...` in the `KAFKA_OPTS` environment variable. The users file is read once at
/// start (Kafka caches it the same way).
public struct BasicAuthenticator: Sendable {
    static let extensionClass = "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension"
    static let moduleClass = "org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule"
    static let loginContext = "KafkaConnect"
    static let jaasProperty = "java.security.auth.login.config"

    /// User → password bytes.
    let users: [String: [UInt8]]

    /// The authenticator `rest.extension.classes` asks for, nil when it names none. Unknown extensions and a JAAS
    /// setup Sluice cannot honour are errors: starting without the protection the user configured would be worse.
    static func make(workerProps: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BasicAuthenticator? {
        let classes = (workerProps["rest.extension.classes"] ?? "").split(separator: ",").map { String($0).trimmedWS }.filter { !$0.isEmpty }
        if classes.isEmpty { return nil }
        for c in classes where c != extensionClass {
            throw ConnectError.invalidConfig("rest.extension.classes", c, "Sluice supports only \(extensionClass)")
        }
        guard let jaasPath = jaasPath(workerProps: workerProps, environment: environment) else {
            throw ConnectError(.config, "\(extensionClass) needs a JAAS file: set \(jaasProperty) in the worker properties or -D\(jaasProperty)=/path/to/jaas.conf in KAFKA_OPTS")
        }
        guard let data = FileManager.default.contents(atPath: jaasPath) else {
            throw ConnectError(.config, "Cannot read the JAAS file \(jaasPath)")
        }
        let jaas = try JaasConfig.parse(String(decoding: data, as: UTF8.self))
        guard let modules = jaas.sections[loginContext], !modules.isEmpty else {
            throw ConnectError(.config, "The JAAS file \(jaasPath) has no \(loginContext) { ... }; section")
        }
        guard modules.count == 1, let module = modules.first, module.className == moduleClass else {
            throw ConnectError(.config, "The \(loginContext) section of \(jaasPath) must hold exactly one \(moduleClass); found \(modules.map(\.className).joined(separator: ", "))")
        }
        guard let file = module.options["file"], !file.isEmpty else {
            throw ConnectError(.config, "Property Credentials file must be specified (option file=\"...\" of \(moduleClass) in \(jaasPath))")
        }
        let pairs = try JavaProperties.load(path: file)
        Secrets.register(values: Array(pairs.values))
        return BasicAuthenticator(users: pairs.mapValues { Array($0.utf8) })
    }

    /// The JAAS path: the worker property first, then `KAFKA_OPTS`' `-Djava.security.auth.login.config=` (a value
    /// may be quoted; Java's `==` prefix, "only this file", is accepted as one).
    static func jaasPath(workerProps: [String: String], environment: [String: String]) -> String? {
        if let p = workerProps[jaasProperty]?.trimmedWS, !p.isEmpty { return p }
        guard let opts = environment["KAFKA_OPTS"] else { return nil }
        let flag = "-D\(jaasProperty)="
        for word in opts.split(separator: " ") where word.hasPrefix(flag) {
            var v = String(word.dropFirst(flag.count))
            if v.hasPrefix("=") { v.removeFirst() }
            v = v.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            if !v.isEmpty { return v }
        }
        return nil
    }

    /// Whether an `Authorization` header carries a known user's password. Every comparison takes the same time for
    /// a password of a given length whatever its content, and unknown users are compared too, so timing tells an
    /// attacker neither which users exist nor how much of a password matched.
    func authenticate(_ header: String?) -> Bool {
        guard let (user, password) = Self.credentials(header) else { return false }
        let expected = users[user]
        let matches = Self.constantTimeEquals(Array(password.utf8), expected ?? Self.decoy)
        return matches && expected != nil
    }

    private static let decoy = Array("decoy-password-for-unknown-users".utf8)

    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(truncatingIfNeeded: a.count ^ b.count)
        let n = max(a.count, b.count)
        for i in 0..<n {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            diff |= x ^ y
        }
        return diff == 0 && a.count == b.count
    }

    /// User and password of `Basic base64(user:password)`, as Kafka's `BasicAuthCallBackHandler` reads them.
    static func credentials(_ header: String?) -> (String, String)? {
        guard let header, let space = header.firstIndex(of: " "), space != header.startIndex,
              header[..<space].lowercased() == "basic",
              let data = Data(base64Encoded: String(header[header.index(after: space)...]).trimmedWS),
              let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":"), colon != text.startIndex
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
