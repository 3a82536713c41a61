import Foundation
import Logging
import SluiceAPI

/// Where in the pipeline an operation failed (the `__connect.errors.stage` header).
enum ErrorStage: String, Sendable {
    case keyConverter = "KEY_CONVERTER", valueConverter = "VALUE_CONVERTER", headerConverter = "HEADER_CONVERTER"
    case transformation = "TRANSFORMATION", taskPut = "TASK_PUT", taskPoll = "TASK_POLL"
    case kafkaProduce = "KAFKA_PRODUCE", kafkaConsume = "KAFKA_CONSUME"
}

/// What failed, for logs and dead letter queue headers.
struct ErrorContext {
    var topic: String?
    var partition: Int32?
    var offset: Int64?
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [(String, [UInt8]?)] = []
    var recordDescription: String?
}

/// Kafka Connect's `RetryWithToleranceOperator` plus the dead letter queue reporter.
///
/// Retriable failures are retried with exponential back-off for `errors.retry.timeout`; what still fails is either
/// fatal (`errors.tolerance=none`) or logged, counted and parked in the DLQ topic (`all`). Unlike Kafka Connect this
/// also serves source tasks and records that connectors report themselves.
final class ErrorHandler: @unchecked Sendable {
    let tolerateAll: Bool
    let retryTimeoutMs: Int64
    let maxDelayMs: Int64
    let logEnabled: Bool
    let logMessages: Bool
    let dlqTopic: String?
    let contextHeaders: Bool
    let connector: String
    let taskId: Int
    let logger: Logger
    let metrics: TaskMetrics
    /// Writes a record to the DLQ topic (set by the task once its producer exists).
    var dlqWriter: ((OutgoingMessage) throws -> Void)?

    init(config: [String: String], connector: String, taskId: Int, logger: Logger, metrics: TaskMetrics) {
        tolerateAll = (config["errors.tolerance"] ?? "none").lowercased() == "all"
        retryTimeoutMs = Int64(config["errors.retry.timeout"] ?? "0") ?? 0
        maxDelayMs = Int64(config["errors.retry.delay.max.ms"] ?? "60000") ?? 60000
        logEnabled = (config["errors.log.enable"] ?? "false").lowercased() == "true"
        logMessages = (config["errors.log.include.messages"] ?? "false").lowercased() == "true"
        let t = config["errors.deadletterqueue.topic.name"] ?? ""
        dlqTopic = t.isEmpty ? nil : t
        contextHeaders = (config["errors.deadletterqueue.context.headers.enable"] ?? "false").lowercased() == "true"
        self.connector = connector
        self.taskId = taskId
        self.logger = logger
        self.metrics = metrics
    }

    static func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// Runs `op`, retrying retriable errors; returns nil when the failure is tolerated (record skipped).
    func execute<T>(_ stage: ErrorStage, _ context: @autoclosure () -> ErrorContext, isStopping: () -> Bool = { false }, _ op: () throws -> T) throws -> T? {
        // The retry deadline is taken at the first failure: the common case (success) reads no clock, which matters
        // at several calls per record.
        var retryDeadline: Int64?
        var delay: Int64 = 300
        while true {
            do {
                return try op()
            } catch {
                // Both settings come from the connector config: a huge timeout or delay saturates, never overflows.
                let deadline = retryDeadline ?? (retryTimeoutMs < 0 ? Int64.max : Self.saturatingAdd(nowMs(), retryTimeoutMs))
                retryDeadline = deadline
                let retriable = (error as? ConnectError)?.isRetriable ?? false
                if retriable && nowMs() < deadline && !isStopping() {
                    metrics.retried.increment()
                    let wait = min(delay, maxDelayMs, max(0, deadline - nowMs()))
                    usleep(UInt32(max(0, min(wait, 4_000)) * 1000))
                    delay = min(Self.saturatingAdd(delay, delay), maxDelayMs)
                    continue
                }
                try tolerate(stage, context(), error)
                return nil
            }
        }
    }

    /// Applies the tolerance to a failure: throws for `none`, else logs, counts and dead-letters.
    func tolerate(_ stage: ErrorStage, _ context: ErrorContext, _ error: any Error) throws {
        metrics.errors.increment()
        if !tolerateAll {
            var where_ = ""
            if let t = context.topic { where_ = " for record topic=\(t) partition=\(context.partition.map(String.init) ?? "?") offset=\(context.offset.map(String.init) ?? "?")" }
            throw ConnectError(.connect, "Tolerance exceeded in error handler at stage \(stage.rawValue)\(where_): \(ErrorHandler.describe(error))", underlying: ErrorBox(error))
        }
        metrics.skipped.increment()
        if logEnabled {
            var msg = "Error encountered in task \(connector)-\(taskId). Executing stage '\(stage.rawValue)'"
            if let t = context.topic { msg += ", where consumed record is {topic='\(t)', partition=\(context.partition ?? -1), offset=\(context.offset ?? -1)}" }
            if logMessages, let d = context.recordDescription { msg += ", record: \(d)" }
            logger.error("\(msg). Error: \(ErrorHandler.describe(error))")
        }
        if let dlqTopic, let dlqWriter {
            var headers = context.headers
            if contextHeaders {
                func h(_ k: String, _ v: String?) { if let v { headers.append(("__connect.errors.\(k)", Array(v.utf8))) } }
                h("topic", context.topic)
                h("partition", context.partition.map(String.init))
                h("offset", context.offset.map(String.init))
                h("connector.name", connector)
                h("task.id", String(taskId))
                h("stage", stage.rawValue)
                h("class.name", stage.rawValue)
                h("exception.class.name", (error as? ConnectError)?.className ?? String(describing: type(of: error)))
                h("exception.message", ErrorHandler.describe(error))
                h("exception.stacktrace", String(describing: error))
            }
            do {
                try dlqWriter(OutgoingMessage(topic: dlqTopic, key: context.key, value: context.value, headers: headers))
                metrics.deadLettered.increment()
            } catch {
                logger.error("Could not write to the dead letter queue \(dlqTopic): \(error)")
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        if let c = error as? ConnectError { return c.message }
        return String(describing: error)
    }
}

/// Wraps any error as `Sendable` for `ConnectError.underlying`.
struct ErrorBox: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ e: any Error) { description = String(describing: e) }
}

@inline(__always) func nowMs() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}

@inline(__always) func monotonicNs() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
