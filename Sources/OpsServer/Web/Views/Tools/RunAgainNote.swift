import Plot

/// On a run form filled in from a run ("Run again…"): which run, that secret values must be given again, and the
/// hidden `rerun_of` the new run records.
enum RunAgainNote {
    static func node(_ rerunOf: String?) -> Node<HTML.FormContext> {
        .unwrap(rerunOf) { origin in
            .group(
                .input(.type(.hidden), .name("rerun_of"), .attribute(.value, origin)),
                .p(
                    .class("flash flash-info"), .id("run-again-note"),
                    .text("Filled in from run "), .a(.attribute(.href, SitePath.run(origin)), .code(.text(origin))),
                    .text(": check the values, give secret ones again, then preview.")))
        }
    }

    /// On the preview of such a run: which run it starts again from.
    static func preview(_ rerunOf: String?) -> Node<HTML.BodyContext> {
        .unwrap(rerunOf.flatMap { $0.isEmpty ? nil : $0 }) { origin in
            .p(
                .class("muted"), .id("preview-rerun-of"), .text("Started again from run "),
                .a(.attribute(.href, SitePath.run(origin)), .code(.text(origin))), .text("."))
        }
    }
}
