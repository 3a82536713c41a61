import Crypto
import Foundation

/// The client side of SCRAM (RFC 5802; SHA-256 per RFC 7677, SHA-512 as Kafka's `SCRAM-SHA-512`) as a pure state
/// machine: it produces the client's two messages and checks the server's two, with no I/O, so it is tested against
/// the RFC's published exchange byte for byte.
///
///     var scram = ScramClient(mechanism: .sha256, username: u, password: p)
///     send(scram.clientFirstMessage())
///     send(try scram.clientFinalMessage(serverFirst: received))
///     try scram.verify(serverFinal: received)      // proves the server knew the password too
///
/// No channel binding (`n,,`: Kafka has none), no SASLprep of the password beyond taking its UTF-8 bytes (exact for
/// ASCII passwords, which is what Kafka's Java client also sends in practice).
public struct ScramClient: Sendable {
    public enum Mechanism: String, Sendable, Hashable {
        case sha256 = "SCRAM-SHA-256"
        case sha512 = "SCRAM-SHA-512"
    }

    public let mechanism: Mechanism
    private let username: String
    private let password: String
    private let clientNonce: String
    private var clientFirstBare = ""
    private var serverSignature: [UInt8]?

    /// Kafka brokers refuse fewer iterations (4096 is their minimum); an absurd count from a hostile server must not
    /// keep the worker hashing for hours.
    static let iterationRange = 1...1_000_000

    /// - Parameter nonce: the client nonce; random (24 bytes, base64) unless a test fixes it.
    public init(mechanism: Mechanism, username: String, password: String, nonce: String? = nil) {
        self.mechanism = mechanism
        self.username = username
        self.password = password
        if let nonce {
            self.clientNonce = nonce
        } else {
            var rng = SystemRandomNumberGenerator()
            self.clientNonce = Data((0..<24).map { _ in UInt8.random(in: 0...255, using: &rng) }).base64EncodedString()
        }
    }

    /// `n,,n=<user>,r=<nonce>`.
    public mutating func clientFirstMessage() -> [UInt8] {
        clientFirstBare = "n=\(Self.saslName(username)),r=\(clientNonce)"
        return Array(("n,," + clientFirstBare).utf8)
    }

    /// Reads `r=<nonce>,s=<salt>,i=<iterations>` and returns `c=biws,r=<nonce>,p=<proof>`.
    public mutating func clientFinalMessage(serverFirst bytes: [UInt8]) throws(KafkaWireError) -> [UInt8] {
        guard let serverFirst = String(validating: bytes, as: UTF8.self) else { throw Self.bad("server-first-message is not UTF-8") }
        let fields = Self.attributes(serverFirst)
        if let error = fields["e"] { throw Self.bad("server refused: \(error)") }
        guard let nonce = fields["r"], nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count else {
            throw Self.bad("server nonce missing or not extending the client nonce")
        }
        guard let saltText = fields["s"], let salt = Data(base64Encoded: saltText), !salt.isEmpty else {
            throw Self.bad("salt missing or not base64")
        }
        guard let iterationsText = fields["i"], let iterations = Int(iterationsText), Self.iterationRange.contains(iterations) else {
            throw Self.bad("iteration count missing or outside \(Self.iterationRange)")
        }
        let withoutProof = "c=biws,r=\(nonce)"
        let authMessage = Array("\(clientFirstBare),\(serverFirst),\(withoutProof)".utf8)
        let proof: [UInt8]
        switch mechanism {
        case .sha256: (proof, serverSignature) = Self.compute(SHA256.self, password, Array(salt), iterations, authMessage)
        case .sha512: (proof, serverSignature) = Self.compute(SHA512.self, password, Array(salt), iterations, authMessage)
        }
        return Array("\(withoutProof),p=\(Data(proof).base64EncodedString())".utf8)
    }

    /// Checks `v=<server signature>`; throws on `e=<error>` or a signature that does not match (a server that does not
    /// know the password).
    public func verify(serverFinal bytes: [UInt8]) throws(KafkaWireError) {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Self.bad("server-final-message is not UTF-8") }
        let fields = Self.attributes(text)
        if let error = fields["e"] { throw Self.bad("server refused: \(error)") }
        guard let expected = serverSignature else { throw Self.bad("server-final-message before the client-final-message") }
        guard let v = fields["v"], let signature = Data(base64Encoded: v), Array(signature) == expected else {
            throw Self.bad("server signature does not match: the server does not know this user's credentials")
        }
    }

    /// (ClientProof, ServerSignature) per RFC 5802 §3.
    static func compute<H: HashFunction>(
        _ hash: H.Type, _ password: String, _ salt: [UInt8], _ iterations: Int, _ authMessage: [UInt8]
    ) -> ([UInt8], [UInt8]) {
        let salted = SymmetricKey(data: hi(H.self, Array(password.utf8), salt, iterations))
        let clientKey = Array(HMAC<H>.authenticationCode(for: Array("Client Key".utf8), using: salted))
        let storedKey = SymmetricKey(data: Array(H.hash(data: clientKey)))
        let clientSignature = Array(HMAC<H>.authenticationCode(for: authMessage, using: storedKey))
        let proof = zip(clientKey, clientSignature).map { $0 ^ $1 }
        let serverKey = SymmetricKey(data: Array(HMAC<H>.authenticationCode(for: Array("Server Key".utf8), using: salted)))
        let serverSignature = Array(HMAC<H>.authenticationCode(for: authMessage, using: serverKey))
        return (proof, serverSignature)
    }

    /// `Hi(str, salt, i)`: PBKDF2 with HMAC-H and one output block.
    static func hi<H: HashFunction>(_ hash: H.Type, _ password: [UInt8], _ salt: [UInt8], _ iterations: Int) -> [UInt8] {
        let key = SymmetricKey(data: password)
        var u = Array(HMAC<H>.authenticationCode(for: salt + [0, 0, 0, 1], using: key))
        var result = u
        for _ in 1..<max(iterations, 1) {
            u = Array(HMAC<H>.authenticationCode(for: u, using: key))
            for j in result.indices { result[j] ^= u[j] }
        }
        return result
    }

    /// RFC 5802's `saslname`: `=` → `=3D`, `,` → `=2C`.
    static func saslName(_ name: String) -> String {
        name.replacingOccurrences(of: "=", with: "=3D").replacingOccurrences(of: ",", with: "=2C")
    }

    /// `a=value,b=value` → [a: value]; the first occurrence of an attribute wins.
    static func attributes(_ message: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in message.split(separator: ",", omittingEmptySubsequences: true) {
            guard let eq = part.firstIndex(of: "="), part.distance(from: part.startIndex, to: eq) == 1 else { continue }
            let key = String(part[..<eq])
            if result[key] == nil { result[key] = String(part[part.index(after: eq)...]) }
        }
        return result
    }

    private static func bad(_ reason: String) -> KafkaWireError {
        .malformed(context: "SASL SCRAM exchange", field: "message", offset: 0, reason: reason)
    }
}
