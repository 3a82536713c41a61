import SluiceAPI

/// The previous record's raw headers and their conversion, position by position, for a sink task's converting
/// thread. Records repeat most headers (SpoolDir's seven `file.*` headers change once per file), and converting
/// them cost a sink as much as the JSON value. A header equal to the previous record's at the same position (same
/// topic, key and bytes) reuses its converted value: header converters are functions of topic, key and bytes.
/// Comparing by position avoids hashing; a failed conversion leaves the cache as it was.
struct HeaderConversionCache {
    private var topic = ""
    private var raw: [(String, [UInt8]?)] = []
    private var converted: [Header] = []

    mutating func convert(topic: String, _ headers: [(String, [UInt8]?)],
                          _ convert: (String, [UInt8]?) throws -> SchemaAndValue) rethrows -> Headers {
        if headers.isEmpty { return Headers() }
        let reuse = headers.count == raw.count && topic == self.topic
        var newRaw = reuse ? raw : []
        var items = reuse ? converted : []
        if !reuse {
            newRaw.reserveCapacity(headers.count)
            items.reserveCapacity(headers.count)
        }
        for i in headers.indices {
            let (k, v) = headers[i]
            if reuse, newRaw[i].0 == k, newRaw[i].1 == v { continue }
            let sv = try convert(k, v)
            let h = Header(key: k, schema: sv.schema, value: sv.value)
            if reuse {
                newRaw[i] = (k, v)
                items[i] = h
            } else {
                newRaw.append((k, v))
                items.append(h)
            }
        }
        self.topic = topic
        raw = newRaw
        converted = items
        return Headers(items)
    }
}
