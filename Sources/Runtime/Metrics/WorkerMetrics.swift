import Prometheus

/// The worker's Prometheus registry and the metric families it exposes on `GET /metrics`.
///
/// Every per-task series carries `connector` and `task` labels so dashboards can slice by pipeline.
public final class WorkerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    public init() {}

    /// Counters and gauges of one task.
    public func task(connector: String, task: Int) -> TaskMetrics {
        TaskMetrics(registry: registry, labels: [("connector", connector), ("task", String(task))])
    }

    /// Sets the 0/1 status gauge of a connector or task for each state, so `sluice_task_status{state="FAILED"} == 1`
    /// alerts work.
    public func setStatus(connector: String, task: Int?, state: RunState) {
        let states: [RunState] = [.unassigned, .running, .paused, .failed, .restarting, .stopped]
        for s in states {
            var labels = [("connector", connector)]
            if let task { labels.append(("task", String(task))) }
            labels.append(("state", s.rawValue))
            let name = task == nil ? "sluice_connector_status" : "sluice_task_status"
            registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: "1 when the instance is in this state"), labels: labels).set(Double(s == state ? 1 : 0))
        }
    }

    /// Prometheus text exposition format.
    public func render() -> [UInt8] { registry.emitToBuffer() }
}

/// One task's metric series.
public struct TaskMetrics: Sendable {
    public let recordsPolled: Counter
    public let recordsWritten: Counter
    public let recordsRead: Counter
    public let recordsPut: Counter
    public let errors: Counter
    public let skipped: Counter
    public let retried: Counter
    public let deadLettered: Counter
    public let offsetCommits: Counter
    public let recordsLost: Counter
    public let retentionWaits: Counter
    public let offsetCommitSeconds: DurationHistogram

    init(registry: PrometheusCollectorRegistry, labels: [(String, String)]) {
        func c(_ n: String, _ h: String) -> Counter { registry.makeCounter(descriptor: MetricNameDescriptor(metricName: n, unitName: "", helpText: h), labels: labels) }
        recordsPolled = c("sluice_source_records_polled_total", "Records returned by source task poll")
        recordsWritten = c("sluice_source_records_written_total", "Source records acknowledged by Kafka")
        recordsRead = c("sluice_sink_records_read_total", "Records read from Kafka by sink tasks")
        recordsPut = c("sluice_sink_records_put_total", "Records handed to sink task put and committed")
        errors = c("sluice_task_errors_total", "Errors seen while processing records")
        skipped = c("sluice_records_skipped_total", "Records skipped under errors.tolerance=all")
        retried = c("sluice_records_retried_total", "Operations retried after a retriable error")
        deadLettered = c("sluice_dlq_records_total", "Records written to the dead letter queue")
        offsetCommits = c("sluice_offset_commits_total", "Offset commits")
        retentionWaits = c("sluice_source_retention_waits_total", "Times a source task waited for this worker's sinks to consume before sending (embedded Kafka retention guard)")
        recordsLost = c("sluice_sink_records_lost_total", "Records a sink task never read because Kafka no longer had them (offset out of range: retention, or the embedded Kafka's 5 MiB per partition)")
        offsetCommitSeconds = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: "sluice_offset_commit", unitName: "seconds", helpText: "Time to persist offsets"), labels: labels,
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5)])
    }
}
