import Foundation
import OpsCore
import Plot

/// `/runs/{id}`: a run as it is now, server-rendered (works without JavaScript); `run.js` then
/// follows its events live from the sequence number the page was rendered at.
enum RunShowView {
    struct Model {
        var run: RunDTO
        var executions: [ExecutionSummary]
        var steps: [String]
        var seq: Int
        /// The target whose output is shown, with its executions (output included).
        var selected: String?
        var output: [ExecutionDTO]
        /// Table rows shown (the rest behind "show more"); the counters always cover every row.
        var rowLimit = 300
        /// The runs started again from this one, oldest first.
        var reruns: [String] = []
        /// The name of the job that launched it as it is now (nil when the job is gone).
        var jobNow: String?
    }

    /// One letter per execution, target by target: the live script keeps counts for rows not shown.
    static let statusCodes: [String: Character] = [
        "pending": "p", "running": "r", "succeeded": "s", "failed": "f", "timed_out": "t", "cancelled": "c",
        "skipped": "k", "interrupted": "i",
    ]

    static func render(_ model: Model, context: PageContext) -> HTML {
        let run = model.run
        let targets = run.targetCount
        let finishedTargets = Dictionary(grouping: model.executions, by: \.targetIndex).values
            .filter { $0.allSatisfy { ExecutionStatus(rawValue: $0.status)?.isTerminal == true } }.count
        let active = !(RunStatus(rawValue: run.status)?.isTerminal ?? true)
        let canOperate = context.role.map { $0.allows(.operator) } ?? false
        let failed = run.counts.failed + run.counts.timedOut + run.counts.interrupted + run.counts.cancelled
        return Layout.page(
            title: "Run \(run.id)", context: context,
            content: .div(
                .id("run"), .attribute(.data("run"), run.id),
                .attribute(.data("seq"), String(model.seq)),
                .attribute(.data("status"), run.status),
                .attribute(.data("selected"), model.selected ?? ""),
                .attribute(.data("targets"), String(targets)),
                .attribute(.data("steps"), model.steps.joined(separator: ",")),
                .attribute(.data("statuses"), String(model.executions.map { Self.statusCodes[$0.status] ?? "p" })),
                .div(
                    .class("page-head"),
                    .h1(.text("Run "), .code(.text(run.id))),
                    .span(.id("run-status"), RunBadge.node(run.status))),
                .p(
                    .class("muted"),
                    .a(.attribute(.href, SitePath.tool(run.tool)), .text(run.reference)),
                    .text(
                        " · requested by \(run.requestedBy) via \(run.source) · max concurrency \(run.maxConcurrency), "
                            + "max errors \(run.maxErrors)")),
                .if(
                    !run.parameters.isEmpty,
                    .p(
                        .class("params"),
                        .text(
                            "Parameters: "
                                + run.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                                    separator: "  ")))),
                RunOriginView.lines(run, reruns: model.reruns, jobNow: model.jobNow),
                .unwrap(run.note) { .p(.class("flash flash-error"), .text($0)) },
                .unwrap(run.outputPrunedAt) {
                    .p(
                        .class("flash"), .attribute(.id, "output-pruned"),
                        .text("Output and events removed by the retention policy on \($0.iso8601).")
                    )
                },
                progress(model, finishedTargets: finishedTargets),
                .div(
                    .class("run-actions"),
                    .if(
                        active && canOperate,
                        .form(
                            .class("inline"), .method(.post),
                            .attribute(.action, SitePath.run(run.id) + "/cancel"),
                            CSRFField.node(context.csrfToken ?? ""),
                            .button(
                                .type(.submit), .id("cancel-run"), .class("danger"),
                                .attribute(.data("confirm"), "Cancel run \(run.id)? Running scripts are stopped."),
                                .text("Cancel run")))),
                    .if(
                        !active && canOperate && failed > 0,
                        .form(
                            .class("inline"), .method(.post),
                            .attribute(.action, SitePath.run(run.id) + "/rerun"),
                            CSRFField.node(context.csrfToken ?? ""),
                            .button(.type(.submit), .id("rerun-failed"), .text("Rerun on failed targets")))),
                    .if(canOperate, RunOriginView.actions(run)),
                    .a(
                        .class("button"), .attribute(.href, SitePath.run(run.id) + "/log.txt"),
                        .text("Download full output"))),
                .h2("Targets"),
                table(model),
                logPane(model)
            ),
            scripts: ["/js/run.js"])
    }

    private static func table(_ model: Model) -> Node<HTML.BodyContext> {
        let multiStep = model.steps.count > 1
        return .div(
            .class("table-wrap executions"),
            .table(
                .id("executions"),
                .thead(
                    .tr(
                        .th("Target"), .if(multiStep, .th("Step")), .th("Status"), .th("Exit"), .th("Time"),
                        .th("Error"))),
                .tbody(
                    .forEach(model.executions.prefix(model.rowLimit)) { execution in
                        .tr(
                            .attribute(.id, "x-\(execution.targetIndex)-\(execution.step)"),
                            .attribute(.data("target"), execution.target),
                            .td(
                                .a(
                                    .attribute(
                                        .href,
                                        SitePath.run(model.run.id) + "?target="
                                            + (execution.target.addingPercentEncoding(
                                                withAllowedCharacters: .alphanumerics)
                                                ?? "") + "#output"),
                                    .text(execution.target))),
                            .if(multiStep, .td(.text("\(execution.step + 1). \(execution.action)"))),
                            .td(.class("status"), RunBadge.node(execution.status)),
                            .td(.class("exit"), .text(execution.exitCode.map(String.init) ?? "")),
                            .td(
                                .class("time"),
                                .text(RunBadge.duration(from: execution.startedAt, to: execution.finishedAt))),
                            .td(
                                .class("error"),
                                .text(
                                    (execution.error ?? "") + (execution.rollback.map { " (rollback \($0))" } ?? "")))
                        )
                    })),
            .if(
                model.executions.count > model.rowLimit,
                .p(
                    .class("pager"),
                    .a(
                        .id("more-rows"),
                        .attribute(
                            .href,
                            SitePath.run(model.run.id) + "?rows=\(model.rowLimit + 300)"
                                + (model.selected.map {
                                    "&target=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                                } ?? "")),
                        .text(
                            "Show \(min(300, model.executions.count - model.rowLimit)) more rows (\(model.executions.count - model.rowLimit) not shown)"
                        )))))
    }

    /// Output longer than this is cut to its end on the page; log.txt has all of it.
    static let pageOutputLimit = 200_000
    static let cutNote = "[earlier output cut from this view; download the full output]\n"

    /// The end of a long output, as the page shows it (run.js cuts live output the same way).
    static func pageTail(_ text: String) -> String {
        guard text.utf8.count > pageOutputLimit else { return text }
        return cutNote + String(text.suffix(pageOutputLimit / 2))
    }

    private static func logPane(_ model: Model) -> Node<HTML.BodyContext> {
        .div(
            .id("output"), .class("card log-pane"),
            .div(
                .class("log-head"),
                .h2(.text("Output"), .span(.id("log-target"), .text(model.selected.map { ": \($0)" } ?? ""))),
                .label(
                    .class("inline"),
                    .input(.type(.checkbox), .id("follow"), .attribute(named: "checked", value: "checked")),
                    .text(" Follow"))),
            .if(model.selected == nil, .p(.class("muted"), .text("Pick a target above to see its output."))),
            .forEach(model.output) { execution in
                .group(
                    .if(model.steps.count > 1, .h3(.text("\(execution.step + 1). \(execution.action)"))),
                    .element(
                        named: "pre",
                        nodes: [
                            .class("log"), .attribute(.id, "log-\(execution.step)"),
                            .attribute(.data("step"), String(execution.step)),
                            .text(pageTail(execution.stdout)),
                        ]),
                    .if(
                        !execution.stderr.isEmpty,
                        .element(named: "pre", nodes: [.class("log stderr"), .text(execution.stderr)])))
            },
            .element(named: "pre", nodes: [.class("log live"), .id("log-live")])
        )
    }
}
