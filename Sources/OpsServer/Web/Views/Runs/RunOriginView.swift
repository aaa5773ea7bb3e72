import Plot

/// Where a run came from and what came of it, on its page (issue 16.3): the job that launched it, the run it is a
/// rerun of, the runs started again from it; and, for operators, "Run again…" and "Save as job…".
enum RunOriginView {
    /// `jobNow`: the launching job's name now (a link to it), nil when it was deleted (its name at launch stays).
    static func lines(_ run: RunDTO, reruns: [String], jobNow: String?) -> Node<HTML.BodyContext> {
        .group(
            .unwrap(run.job) { job in
                .p(
                    .class("muted"), .id("run-job"), .text("Job "),
                    .unwrap(jobNow, { .a(.attribute(.href, SitePath.job($0)), .text(job)) }, else: .text(job)),
                    .text(run.jobVersion.map { " (version \($0))" } ?? ""),
                    .text(jobNow.map { $0 == job ? "" : ", now named \($0)" } ?? ", since deleted"))
            },
            .unwrap(run.rerunOf) { origin in
                .p(
                    .class("muted"), .id("rerun-of"), .text("Rerun of "),
                    .a(.attribute(.href, SitePath.run(origin)), .code(.text(origin))))
            },
            .if(
                !reruns.isEmpty,
                .p(
                    .class("muted"), .id("reruns"), .text("Reruns: "),
                    .forEach(Array(reruns.enumerated())) { index, id in
                        .group(
                            .if(index > 0, .text(", ")),
                            .a(.attribute(.href, SitePath.run(id)), .code(.text(id))))
                    })))
    }

    /// Links to the run form filled in from this run, and to a new job filled in from it.
    static func actions(_ run: RunDTO) -> Node<HTML.BodyContext> {
        .group(
            .a(.class("button"), .id("run-again"), .attribute(.href, SitePath.runAgain(run)), .text("Run again…")),
            .a(
                .class("button"), .id("save-as-job"),
                .attribute(.href, SitePath.newJob + "?tool=\(run.tool)&from=\(run.id)"), .text("Save as job…")))
    }
}
