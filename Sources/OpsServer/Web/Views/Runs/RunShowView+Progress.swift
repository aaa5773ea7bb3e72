import Foundation
import OpsCore
import Plot

/// The run page's progress card: targets by outcome as the headline ("10 targets · 9 succeeded · 1 failed at
/// step 2 (claim)"), then, for a workflow, a bar per step (how many targets are through it). `run.js` keeps the
/// same elements up to date from the live events; states with no target are rendered `hidden`.
extension RunShowView {
    static func progress(_ model: Model, finishedTargets: Int) -> Node<HTML.BodyContext> {
        let run = model.run
        let active = !(RunStatus(rawValue: run.status)?.isTerminal ?? true)
        return .div(
            .class("card progress-card"),
            .element(
                named: "progress",
                nodes: [
                    .id("run-progress"), .attribute(.max, String(max(1, run.targetCount))),
                    .attribute(.value, String(finishedTargets)),
                    .text("\(finishedTargets) of \(run.targetCount)"),
                ]),
            headline(run),
            .p(
                .class("muted"), .span(.id("targets-done"), .text("\(finishedTargets)")),
                .text(" of \(run.targetCount) targets done")),
            .if(run.steps.count > 1, stepBar(run, active: active)),
            timing(run, active: active)
        )
    }

    /// "10 targets · 9 succeeded · 1 failed at step 2 (claim)": every state is there (for run.js), those with no
    /// target hidden.
    static func headline(_ run: RunDTO) -> Node<HTML.BodyContext> {
        .p(
            .id("target-counts"), .class("counters"),
            .strong(.id("targets-total"), .text(String(run.targetCount))),
            .text(run.targetCount == 1 ? " target" : " targets"),
            .forEach(RunDTO.headlineOrder) { status in
                let count = run.targetCounts[status]
                return .span(
                    .attribute(.id, "target-\(status.rawValue)"),
                    .if(count == 0, .attribute(named: "hidden", value: "hidden")),
                    .text(" · "),
                    .span(
                        .attribute(.class, "counter status-\(status.rawValue)"),
                        .strong(.attribute(.id, "count-\(status.rawValue)"), .text(String(count))),
                        .text(" " + status.rawValue.replacingOccurrences(of: "_", with: " ")),
                        .span(.attribute(.id, "where-\(status.rawValue)"), .text(run.stoppedAt(status)))))
            })
    }

    /// One bar per step: "2. claim — 10 of 10 through · 1 failed", and which step the run is at.
    static func stepBar(_ run: RunDTO, active: Bool) -> Node<HTML.BodyContext> {
        .div(
            .class("step-bar"),
            // Which step a run is at means something only while it runs; the headline says where targets stopped.
            .p(
                .id("current-step"), .if(!active, .attribute(named: "hidden", value: "hidden")), .text(currentStep(run))
            ),
            .ol(
                .id("steps"),
                .forEach(run.steps) { step in
                    .li(
                        .attribute(.id, "step-\(step.index)"), .class("step"),
                        .span(.class("step-label"), .attribute(.title, step.name), .text(step.label)),
                        .element(
                            named: "progress",
                            nodes: [
                                .attribute(.id, "step-progress-\(step.index)"),
                                .attribute(.max, String(max(1, run.targetCount))),
                                .attribute(.value, String(step.finished)),
                                .text("\(step.finished) of \(run.targetCount)"),
                            ]),
                        .span(
                            .class("step-count"),
                            .strong(.attribute(.id, "step-finished-\(step.index)"), .text(String(step.finished))),
                            .text(" of \(run.targetCount) through"),
                            .span(.class("step-note"), .attribute(.id, "step-note-\(step.index)"), .text(step.notes))))
                }))
    }

    /// "Step 2 of 4: claim" — the last step something runs in; else the first step not every target is through;
    /// else "All 4 steps done".
    static func currentStep(_ run: RunDTO) -> String {
        let step =
            run.steps.last { $0.running > 0 }
            ?? run.steps.first { $0.finished < run.targetCount }
        guard let step else { return "All \(run.steps.count) steps done" }
        return "Step \(step.index + 1) of \(run.steps.count): \(step.action)"
    }

    /// "Started 3 min ago · elapsed 2 min 5 s · ETA 1 min 0 s" while the run is active; "Started … · finished … ·
    /// took 2 min 5 s" once it ended (no ETA). Times are `<time>` tags: relative, exact local time on hover.
    static func timing(_ run: RunDTO, active: Bool) -> Node<HTML.BodyContext> {
        .p(
            .class("muted timing"), .id("run-timing"),
            .span(
                .id("run-started"),
                .text("Started "),
                run.startedAt == nil ? .text("not yet") : TimeTag.node(run.startedAt)),
            .span(
                .id("run-finished"), .if(active, .attribute(named: "hidden", value: "hidden")),
                .text(" · finished "), TimeTag.node(run.finishedAt, empty: "")),
            .span(
                .span(.id("elapsed-label"), .text(active ? " · elapsed " : " · took ")),
                .span(
                    .id("elapsed"), .attribute(.data("started"), run.startedAt.map { $0.iso8601 } ?? ""),
                    .attribute(.data("finished"), run.finishedAt.map { $0.iso8601 } ?? ""),
                    .text(
                        run.startedAt == nil
                            ? "—" : RunBadge.duration(from: run.startedAt, to: run.finishedAt ?? Date())
                    ))),
            .span(
                .id("eta-part"), .if(!active, .attribute(named: "hidden", value: "hidden")),
                .text(" · ETA "), .span(.id("eta"), .text("—"))))
    }
}
