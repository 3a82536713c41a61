import Foundation
import SluiceAPI

/// Golden files under `Fixtures/`: the exact bytes Kafka's converters produce for each case.
enum Fixture {
    static func bytes(_ name: String) throws -> [UInt8] {
        guard let dir = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw FixtureMissing(name: "Fixtures directory")
        }
        let url = dir.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw FixtureMissing(name: name) }
        return [UInt8](data)
    }

    static func text(_ name: String) throws -> String { String(decoding: try bytes(name), as: UTF8.self) }

    struct FixtureMissing: Error, CustomStringConvertible {
        let name: String
        var description: String { "missing fixture \(name)" }
    }
}

extension Array where Element == UInt8 {
    var utf8Text: String { String(decoding: self, as: UTF8.self) }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
