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
        /// The one log for all targets, when that view is asked for (`?view=all`).
        var all: AllTargets? = nil
    }

    /// The "All targets" view of the output: the last lines of every target, prefixed, in arrival order.
    struct AllTargets {
        /// Lines drawn (and kept live by run.js); log.txt?format=prefixed has all of them.
        static let keep = 2000
        var lines: [PrefixedLog.Line]
        var failedOnly: Bool
        var search: String
        var stepCount: Int
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
                .attribute(.data("view"), model.all == nil ? "target" : "all"),
                .attribute(.data("targets"), String(targets)),
                .attribute(.data("steps"), model.steps.joined(separator: ",")),
                .attribute(.data("statuses"), String(model.executions.map { Self.statusCodes[$0.status] ?? "p" })),
                Breadcrumbs.render([.init("Runs", SitePath.runs), .init(run.id)]),
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
                        .th("Target"), .if(multiStep, .th("Step")), .th("Status"), .th("Exit"), .th("Started"),
                        .th("Finished"), .th("Time"), .th("Error"))),
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
                            .td(.class("started"), TimeTag.node(execution.startedAt, empty: "")),
                            .td(.class("finished"), TimeTag.node(execution.finishedAt, empty: "")),
                            .td(
                                .class("time"),
                                .attribute(.data("started"), execution.startedAt.map(TimeTag.iso) ?? ""),
                                .text(
                                    execution.startedAt == nil
                                        ? "" : RunBadge.duration(from: execution.startedAt, to: execution.finishedAt))),
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

    private static func logTabs(_ model: Model) -> Node<HTML.BodyContext> {
        let encoded = model.selected.map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
        return .nav(
            .class("log-tabs"), .attribute(named: "aria-label", value: "Output view"),
            .a(
                .id("tab-target"), .class(model.all == nil ? "tab current" : "tab"),
                .attribute(.href, SitePath.run(model.run.id) + (encoded.map { "?target=" + $0 } ?? "") + "#output"),
                .text(model.selected.map { "Target: " + $0 } ?? "One target")),
            .a(
                .id("tab-all"), .class(model.all == nil ? "tab" : "tab current"),
                .attribute(.href, SitePath.run(model.run.id) + "?view=all#output"), .text("All targets")))
    }

    private static func logPane(_ model: Model) -> Node<HTML.BodyContext> {
        if let all = model.all { return allTargetsPane(model, all) }
        return .div(
            .id("output"), .class("card log-pane"),
            logTabs(model),
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

    /// Every target's lines in one pane, each prefixed with its target; a filter (failed targets only) and a
    /// search, applied by the server when the form is sent and live by run.js as you type.
    private static func allTargetsPane(_ model: Model, _ all: AllTargets) -> Node<HTML.BodyContext> {
        let log = PrefixedLog(stepCount: all.stepCount)
        let filtered = all.failedOnly || !all.search.isEmpty
        let note: String =
            all.lines.isEmpty
            ? (filtered ? "No line matches the filter. " : "No output yet. ")
            : "The last \(AllTargets.keep) lines at most are shown here. "
        return .div(
            .id("output"), .class("card log-pane"),
            logTabs(model),
            .div(
                .class("log-head"),
                .h2(.text("Output: all targets")),
                .label(
                    .class("inline"),
                    .input(.type(.checkbox), .id("follow"), .attribute(named: "checked", value: "checked")),
                    .text(" Follow"))),
            .form(
                .class("filters log-filter"), .method(.get),
                .attribute(.action, SitePath.run(model.run.id) + "#output"),
                .input(.type(.hidden), .name("view"), .attribute(.value, "all")),
                .label(
                    .class("inline"),
                    .input(
                        .type(.checkbox), .id("all-failed"), .name("failed"), .attribute(.value, "1"),
                        .checked(all.failedOnly)),
                    .text(" Failed targets only")),
                .label(.for("all-search"), .text("Search")),
                .input(
                    .type(.search), .id("all-search"), .name("q"), .attribute(.value, all.search),
                    .placeholder("text or target")),
                .button(.type(.submit), .text("Apply"))),
            allLog(all, log: log),
            .p(
                .class("muted"), .id("all-note"),
                .text(note),
                .a(
                    .attribute(.href, SitePath.run(model.run.id) + "/log.txt?format=prefixed"),
                    .text("Download all targets' output, prefixed"))))
    }

    private static func allLog(_ all: AllTargets, log: PrefixedLog) -> Node<HTML.BodyContext> {
        var nodes: [Node<HTML.BodyContext>] = [
            .class("log all-log"), .id("all-log"), .attribute(.data("keep"), String(AllTargets.keep)),
            .attribute(.data("steps"), String(all.stepCount)),
        ]
        for line in all.lines {
            let node: Node<HTML.BodyContext> = .div(
                .class(line.stderr ? "line stderr-text" : "line"),
                .attribute(.data("t"), String(line.targetIndex)),
                .if(line.open, .attribute(.data("open"), line.key)),
                .span(.class("who"), .text(log.prefix(of: line))),
                .text(line.text))
            nodes.append(node)
        }
        return .element(named: "pre", nodes: nodes)
    }
}
