import Foundation
import OpsCore
import Plot

/// The body of a run's preview: the targets it would reach, how each is reached, and every step's scripts exactly
/// as they would be sent. The job preview shows it under its own form; the same as the tool form's preview shows.
enum PreviewDetails {
    /// Every target the run would reach and every script exactly as it would be sent (with their SHA-256).
    static func render(_ report: DryRunReport) -> Node<HTML.BodyContext> {
        .group(
            .h2("Targets"),
            .div(
                .class("table-wrap"),
                .table(
                    .id("preview-targets"),
                    .thead(.tr(.th("Target"), .th("Connects as"), .th("Runs"))),
                    .tbody(
                        .forEach(report.targets) { target in
                            .tr(
                                .td(.text(target.name)),
                                .td(
                                    .text(
                                        "\(target.user ?? "?")@\(target.address):\(target.port) (\(target.transport))"
                                    )),
                                .td(
                                    .attribute(.class, target.problem == nil ? "" : "bad"),
                                    .text(target.problem.map { "cannot run: \($0)" } ?? target.command ?? "")))
                        }))),
            .forEach(Array(report.steps.enumerated())) { index, step in
                .div(
                    .class("card step"),
                    .h2(.text("Step \(index + 1): \(step.action)")),
                    .p(
                        .class("muted"),
                        .text(
                            "\(step.interpreter) · timeout \(step.timeout) s · on failure \(step.onFailure)"
                                + (step.requiresAdmin ? " · admin rights" : "")
                                + (step.destructive ? " · destructive" : ""))),
                    .forEach(step.scripts) { script in
                        .group(
                            .h3(.text("\(script.phase) — \(script.origin)")),
                            .p(.class("muted"), .text("SHA-256 "), .code(.class("sha"), .text(script.sha256))),
                            .element(named: "pre", nodes: [.class("script"), .code(.text(script.text))]))
                    })
            })
    }
}
