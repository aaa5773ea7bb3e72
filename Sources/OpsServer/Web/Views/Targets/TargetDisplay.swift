import Foundation
import OpsCore
import Plot

/// How the pages show where a target is and what it signs in with, the same on every page: a `local` target
/// runs on the PCM-Ops server itself (no address, no port, no credential to show), an SSM target has no port.
enum TargetDisplay {
    /// "10.0.0.5:22", "[fe80::1]:22", "db01.example.com" (no port), or "this server" for a local target.
    static func address(_ address: String, port: Int, transport: String) -> String {
        if transport == TransportKind.local.rawValue { return "this server" }
        guard port > 0 else { return address }
        return address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
    }

    /// Why a target needs no credential of its own, or nil when it does.
    static func credentialNotNeeded(transport: String) -> String? {
        switch transport {
        case TransportKind.local.rawValue: "not needed (runs on this server)"
        case TransportKind.ssm.rawValue: "not needed (AWS Systems Manager)"
        default: nil
        }
    }

    /// A target's own outcome in a run: the badge, and the step it stopped at when that says more.
    static func outcome(_ run: TargetActivity.RunOnTarget) -> Node<HTML.BodyContext> {
        .group(
            RunBadge.node(run.outcome),
            .unwrap(run.stoppedAtStep) { .span(.class("muted"), .text(" at step \($0 + 1)")) })
    }

    /// The last connection test in a table cell: OK or the failed stage, when (and the message on hover).
    static func check(_ check: TargetCheck?) -> Node<HTML.BodyContext> {
        guard let check else { return .span(.class("muted"), .text("never tested")) }
        return .span(
            .class("last-check"), .attribute(.title, check.message),
            .span(
                .attribute(.class, check.ok ? "badge status-succeeded" : "badge status-failed"),
                .text(check.ok ? "OK" : "failed at \(check.failedStage ?? "?")")),
            .text(" "), DisplayTime.node(check.checkedAt))
    }
}
