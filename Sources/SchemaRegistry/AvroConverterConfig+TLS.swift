import BlockingHTTP
import SluiceAPI

/// The registry client's https settings: Confluent's `SchemaRegistryClientConfig.withClientSslSupport`, i.e. Kafka's
/// client SSL keys under `schema.registry.` (given, like every converter key, under the converter's prefix:
/// `value.converter.schema.registry.ssl.truststore.location`).
///
/// Only the keys Sluice acts on are declared. Store files are recognised by content (PEM or PKCS#12; a JKS file is
/// refused with the keytool command that converts it), so the `*.type` keys are accepted for compatibility only.
extension AvroConverterConfig {
    public static let sslPrefix = "schema.registry.ssl."
    public static let connectTimeoutConfig = "http.connect.timeout.ms"

    static let tlsKeys: [ConfigKey] = {
        func k(_ name: String, _ type: ConfigType, _ def: String?, _ doc: String) -> ConfigKey {
            ConfigKey(sslPrefix + name, type, default: .value(def), importance: name.hasSuffix("location") || name.hasSuffix("password") ? .high : .low, doc: doc)
        }
        return [
            k("truststore.location", .string, nil,
              "CA certificates to trust for https registry URLs: a PEM bundle or a PKCS#12 store (JKS: convert with keytool). Unset: the system's CAs."),
            k("truststore.password", .password, nil, "Password of a PKCS#12 trust store."),
            k("truststore.type", .string, "JKS", "Accepted for compatibility (PEM, PKCS12, JKS); the file's content decides."),
            k("keystore.location", .string, nil,
              "Client certificate and key for registries that require one: a PEM file holding both, or a PKCS#12 store."),
            k("keystore.password", .password, nil, "Password of a PKCS#12 key store."),
            k("keystore.type", .string, "JKS", "Accepted for compatibility (PEM, PKCS12, JKS); the file's content decides."),
            k("key.password", .password, nil, "Password of an encrypted private key in the key store."),
            k("endpoint.identification.algorithm", .string, "https",
              "https: the registry's certificate must name its host; empty: no host name check."),
            k("protocol", .string, "TLSv1.3", "The newest TLS version that may be negotiated (TLS: any)."),
            k("enabled.protocols", .list, "TLSv1.2,TLSv1.3", "TLS versions the client may use."),
        ]
    }()

    /// The OpenSSL context for the https URLs, nil when every URL is http. Reads and checks the stores now, so a
    /// wrong path, password or format is a config error naming its key (passwords never shown).
    func makeTLSContext() throws -> TLSContext? {
        guard tls.enabled else { return nil }
        do {
            return try TLSContext(tls)
        } catch {
            throw ConnectError(.config, error.description)
        }
    }
}
