import Foundation
import OpsCore
import Plot

/// The preview of running a job: what it would reach and every script as it would be sent, then Run (with the
/// confirmation a destructive action needs). The form carries the runner's entries on, so Run starts exactly what
/// was previewed.
enum JobPreviewView {
    static func render(
        job: JobDTO, report: DryRunReport, form: JobRunController.RunForm, needsConfirmation: Bool,
        context: PageContext
    ) -> HTML {
        let count = report.targets.count
        let targets = count == 1 ? "1 target" : "\(count) targets"
        let unreachable = report.targets.filter { $0.problem != nil }
        return Layout.page(
            title: "Run job \(job.name)", context: context,
            content: .group(
                .h1(.text("Run job "), .code(.text(job.name))),
                .p(
                    .id("preview-summary"),
                    .text(
                        "\(job.reference) (version \(job.version)) on \(targets), "
                            + "\(report.steps.count) step\(report.steps.count == 1 ? "" : "s"), max concurrency "
                            + "\(report.maxConcurrency), max errors \(report.maxErrors). Nothing has run.")),
                .if(
                    !unreachable.isEmpty,
                    .div(
                        .class("flash flash-error"),
                        .text(
                            "\(unreachable.count) target(s) cannot be reached as configured and will fail: "
                                + unreachable.prefix(5).map { "\($0.name) (\($0.problem ?? ""))" }.joined(
                                    separator: "; ")))),
                .form(
                    .method(.post), .attribute(.action, SitePath.job(job.name) + "/run"), .class("card"),
                    CSRFField.node(context.csrfToken ?? ""),
                    hidden(form),
                    .if(
                        needsConfirmation,
                        .div(
                            .class("confirm-box"),
                            .p(
                                .strong(
                                    .text(
                                        "\(job.reference) is destructive: it will change \(targets) ("
                                            + report.targets.prefix(10).map(\.name).joined(separator: ", ")
                                            + (count > 10 ? ", …" : "") + ")."))),
                            .label(
                                .input(
                                    .type(.checkbox), .name("confirm"), .value("yes"), .id("confirm"), .required(true)),
                                .text(
                                    count == 1
                                        ? " I confirm: run it on this target"
                                        : " I confirm: run it on these \(count) targets")))),
                    .div(
                        .class("form-actions"),
                        .button(
                            .type(.submit), .name("intent"), .value("run"), .class("primary"), .id("run-button"),
                            .text("Run")),
                        .a(.class("button"), .attribute(.href, SitePath.job(job.name)), .text("Back")))),
                PreviewDetails.render(report)
            ))
    }

    private static func hidden(_ form: JobRunController.RunForm) -> Node<HTML.FormContext> {
        var fields = [(String, String)]()
        for (name, value) in (form.params ?? [:]).sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            fields.append(("params[\(name)]", value))
        }
        if form.choose_targets == "1" {
            fields.append(("choose_targets", "1"))
            for target in form.targets ?? [] { fields.append(("targets[]", target)) }
            for group in form.groups ?? [] { fields.append(("groups[]", group)) }
            fields.append(("selector", form.selector ?? ""))
        }
        if form.choose_limits == "1" {
            fields.append(("choose_limits", "1"))
            fields.append(("max_concurrency", form.max_concurrency ?? ""))
            fields.append(("max_errors", form.max_errors ?? ""))
        }
        return .forEach(fields) { name, value in
            .input(.type(.hidden), .attribute(.name, name), .attribute(.value, value))
        }
    }
}
