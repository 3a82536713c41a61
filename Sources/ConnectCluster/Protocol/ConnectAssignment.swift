/// An assignment in Kafka Connect's layout, what the leader sends each worker in SyncGroup:
///
///     version:int16  error:int16  leader:string  leader-url:string  config-offset:int64
///     assignment:[{connector:string, tasks:[int32]}]                       (task -1 = the connector instance)
///     [v1+] revoked:[{connector:string, tasks:[int32]}]  delay:int32
///
/// With incremental cooperative rebalancing (v1+) `assigned` holds only what is NEW for the worker: it keeps running
/// what it had, minus `revoked`. `delay` > 0 means "rejoin after this many ms" (a departed worker's work is being held
/// back for `scheduled.rebalance.max.delay.ms`).
public struct ConnectAssignment: Hashable, Sendable {
    /// `error` values.
    public static let noError: Int16 = 0
    /// The leader could not read the config topic as far as some member had: read to the end and rejoin.
    public static let configMismatch: Int16 = 1
    /// The sentinel task id for "the connector instance itself".
    public static let connectorTask: Int32 = -1

    public var version: ConnectProtocolVersion
    public var error: Int16
    public var leader: String
    public var leaderUrl: String
    public var configOffset: Int64
    public var assigned: ConnectorsAndTasks
    public var revoked: ConnectorsAndTasks
    public var delayMs: Int32

    public init(
        version: ConnectProtocolVersion, error: Int16 = ConnectAssignment.noError, leader: String, leaderUrl: String,
        configOffset: Int64, assigned: ConnectorsAndTasks = .empty, revoked: ConnectorsAndTasks = .empty, delayMs: Int32 = 0
    ) {
        self.version = version
        self.error = error
        self.leader = leader
        self.leaderUrl = leaderUrl
        self.configOffset = configOffset
        self.assigned = assigned
        self.revoked = revoked
        self.delayMs = delayMs
    }

    public var failed: Bool { error != Self.noError }
    /// Nothing assigned, nothing revoked, no delay (encoded as a null allocation in member metadata).
    public var isEmpty: Bool { assigned.isEmpty && revoked.isEmpty && delayMs == 0 }

    /// The SyncGroup bytes. Entries are sorted by connector name, the connector instance (-1) first, then tasks
    /// ascending, so equal assignments give equal bytes.
    public func encode() -> [UInt8] {
        var w = KafkaWireWriter()
        w.int16(version.rawValue)
        w.int16(error)
        w.string(leader)
        w.string(leaderUrl)
        w.int64(configOffset)
        Self.write(assigned, into: &w)
        if version >= .compatible {
            Self.write(revoked, into: &w)
            w.int32(delayMs)
        }
        return w.bytes
    }

    private static func write(_ set: ConnectorsAndTasks, into w: inout KafkaWireWriter) {
        var byConnector: [String: [Int32]] = [:]
        for connector in set.connectors { byConnector[connector, default: []].append(connectorTask) }
        for task in set.tasks { byConnector[task.connector, default: []].append(task.task) }
        w.array(byConnector.sorted { $0.key < $1.key }) { w, entry in
            w.string(entry.key)
            w.array(entry.value.sorted()) { w, id in w.int32(id) }
        }
    }

    /// Decodes SyncGroup bytes, throwing on garbage. As Kafka's v1 schema, missing trailing fields (revoked, delay)
    /// take their defaults and null arrays read as empty; versions above 2 are read as 2.
    public static func decode(_ bytes: [UInt8]) throws(KafkaWireError) -> ConnectAssignment {
        var r = KafkaWireReader(bytes, context: "Connect assignment")
        let rawVersion = try r.int16("version")
        guard rawVersion >= 0 else {
            throw KafkaWireError.malformed(context: r.context, field: "version", offset: 0, reason: "unsupported version \(rawVersion)")
        }
        let version = ConnectProtocolVersion(rawValue: min(rawVersion, 2))!
        let error = try r.int16("error")
        let leader = try r.string("leader")
        let leaderUrl = try r.string("leader-url")
        let offset = try r.int64("config-offset")
        var assigned = ConnectorsAndTasks.empty
        var revoked = ConnectorsAndTasks.empty
        var delay: Int32 = 0
        if version == .eager {
            assigned = try read(&r, "assignment")
            try r.expectEnd()
        } else {
            if r.remaining > 0 { assigned = try read(&r, "assignment") }
            if r.remaining > 0 { revoked = try read(&r, "revoked") }
            if r.remaining > 0 { delay = try r.int32("delay") }
            if rawVersion <= 2 { try r.expectEnd() }
        }
        return ConnectAssignment(
            version: version, error: error, leader: leader, leaderUrl: leaderUrl, configOffset: offset,
            assigned: assigned, revoked: revoked, delayMs: delay)
    }

    private static func read(_ r: inout KafkaWireReader, _ field: String) throws(KafkaWireError) -> ConnectorsAndTasks {
        let entries = try r.array(field, minElementSize: 6) { (r: inout KafkaWireReader) throws(KafkaWireError) in
            (try r.string("\(field).connector"), try r.array("\(field).tasks", minElementSize: 4) { (r: inout KafkaWireReader) throws(KafkaWireError) in try r.int32("\(field).task") })
        }
        var result = ConnectorsAndTasks.empty
        for (connector, ids) in entries {
            for id in ids {
                if id == connectorTask {
                    result.connectors.insert(connector)
                } else {
                    result.tasks.insert(ConnectTaskId(connector: connector, task: id))
                }
            }
        }
        return result
    }
}
