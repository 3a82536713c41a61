// libFuzzer target: the JAAS login-configuration parser (worker `java.security.auth.login.config` files, REST basic
// auth) must never crash or hang on any text; it either parses or throws a ConnectError. A parse is checked for
// sanity: every module has a known control flag, and the result is the same when parsed again.
import SluiceAPI

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJaas(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let config = try? JaasConfig.parse(text) else { return 0 }
    for modules in config.sections.values {
        for m in modules where !["required", "requisite", "sufficient", "optional"].contains(m.flag) {
            fatalError("module \(m.className) kept an unknown control flag \(m.flag)")
        }
    }
    guard (try? JaasConfig.parse(text)) == config else { fatalError("parsing the same text twice gave different results") }
    return 0
}
