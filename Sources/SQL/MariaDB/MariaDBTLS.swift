import CMariaDB

/// TLS to MariaDB/MySQL from the `connection.url` parameters users already have in their Connector/J URLs:
/// MySQL Connector/J's `useSSL`, `requireSSL`, `verifyServerCertificate`, `sslMode=DISABLED|PREFERRED|REQUIRED|
/// VERIFY_CA|VERIFY_IDENTITY`, and MariaDB Connector/J's `useSsl`, `sslMode=disable|trust|verify-ca|verify-full`,
/// `serverSslCert` (CA or server certificate, PEM path), `trustServerCertificate`; client certificates with `sslCert`
/// and `sslKey` (PEM paths; Java key stores cannot be read).
///
/// MariaDB Connector/C checks the server certificate together with its host name, so VERIFY_CA is as strict as
/// VERIFY_IDENTITY here. `PREFERRED` is Connector/C's default: TLS when both sides have it configured, plain otherwise.
struct MariaDBTLS: Equatable {
    var verifyServer: Bool
    var ca: String?
    var cert: String?
    var key: String?

    /// nil when the URL asks for no TLS (or only for PREFERRED).
    static func settings(_ properties: [String: String]) throws -> MariaDBTLS? {
        var p: [String: String] = [:]
        for (k, v) in properties { p[k.lowercased()] = v }
        func flag(_ k: String) -> Bool? { p[k].map { ["true", "1", "yes"].contains($0.lowercased()) } }
        let ca = properties.first { $0.key.lowercased() == "serversslcert" || $0.key.lowercased() == "sslca" }?.value
        let cert = properties.first { $0.key.lowercased() == "sslcert" }?.value
        let key = properties.first { $0.key.lowercased() == "sslkey" }?.value
        var enabled: Bool
        var verify: Bool
        if let mode = p["sslmode"]?.lowercased().replacing("-", with: "_") {
            switch mode {
            case "disabled", "disable": return nil
            case "preferred", "prefer": return nil
            case "required", "require", "trust": enabled = true; verify = false
            case "verify_ca", "verify_identity", "verify_full": enabled = true; verify = true
            default:
                throw SQLError(.connectionFailed, "sslMode=\(p["sslmode"] ?? "") is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY (or disable, trust, verify-ca, verify-full)")
            }
        } else {
            enabled = flag("usessl") == true || flag("requiressl") == true
            // MariaDB Connector/J verifies unless trustServerCertificate; MySQL's verifies only when asked.
            verify = flag("verifyservercertificate") == true || (ca != nil && flag("trustservercertificate") != true)
        }
        if !enabled { return nil }
        if flag("trustservercertificate") == true { verify = false }
        return MariaDBTLS(verifyServer: verify, ca: ca, cert: cert, key: key)
    }

    /// Sets the Connector/C options: TLS enforced (no silent fallback to plain text), certificates, verification.
    func apply(to m: UnsafeMutablePointer<MYSQL>) {
        _ = mysql_ssl_set(m, key, cert, ca, nil, nil)
        var enforce: my_bool = 1
        mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &enforce)
        var verify: my_bool = verifyServer ? 1 : 0
        mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify)
    }
}
