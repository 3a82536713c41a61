import SluiceAPI

/// The REST listener's protection, read from the worker config at start so a mistake stops the worker instead of
/// leaving the API open: basic authentication (`rest.extension.classes`).
struct RestSecurity: Sendable {
    let authenticator: BasicAuthenticator?

    init(config: WorkerConfig) throws {
        authenticator = try BasicAuthenticator.make(workerProps: config.props)
    }
}
