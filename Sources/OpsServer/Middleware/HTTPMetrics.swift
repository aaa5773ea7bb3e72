import Prometheus
import Vapor

/// Request counts and latencies in Prometheus format.
public final class HTTPMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    public init() {}

    func observe(method: String, route: String, status: Int, duration: Duration) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(name: "pcmops_http_requests_total", labels: labels).increment()
        registry.makeDurationHistogram(
            name: "pcmops_http_request_duration_seconds", labels: [("method", method), ("route", route)],
            buckets: [
                .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
            ]
        ).record(duration)
    }

    /// Everything recorded so far, in the Prometheus text exposition format.
    public func exposition() -> String {
        var buffer = [UInt8]()
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
