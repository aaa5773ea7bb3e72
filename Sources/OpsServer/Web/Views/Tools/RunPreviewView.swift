import Foundation
import OpsCore
import Plot

/// The preview of a run (a dry run): every target it would reach, every script exactly as it would be
/// sent with its SHA-256, and — for destructive actions — a confirmation that says what will happen
/// to how many targets. The form carries the entries on, so Run starts exactly what was previewed.
enum RunPreviewView {
    static func render(
        tool: ToolDefinition, report: DryRunReport, form: ToolRunController.RunForm, needsConfirmation: Bool,
        context: PageContext
    ) -> HTML {
        let reference = "\(report.tool).\(report.action ?? report.workflow ?? "")"
        let unreachable = report.targets.filter { $0.problem != nil }
        return Layout.page(
            title: "Preview \(reference)", context: context,
            content: .group(
                .h1(.text("Preview: "), .code(.text(reference))),
                .p(
                    .id("preview-summary"),
                    .text(
                        Plural.count(report.targets.count, "target") + ", "
                            + Plural.count(report.steps.count, "step") + ", max concurrency "
                            + "\(report.maxConcurrency), max errors \(report.maxErrors). Nothing has run.")),
                RunAgainNote.preview(form.rerun_of),
                .if(
                    !unreachable.isEmpty,
                    .div(
                        .class("flash flash-error"),
                        .text(
                            Plural.count(unreachable.count, "target")
                                + " cannot be reached as configured and will fail: "
                                + unreachable.prefix(5).map { "\($0.name) (\($0.problem ?? ""))" }.joined(
                                    separator: "; ")))),
                .form(
                    .method(.post), .attribute(.action, SitePath.tool(tool.id) + "/run"), .class("card"),
                    CSRFField.node(context.csrfToken ?? ""),
                    hidden(form),
                    .if(
                        needsConfirmation,
                        .div(
                            .class("confirm-box"),
                            .p(
                                .strong(
                                    .text(
                                        "\(reference) is destructive: it will change "
                                            + Plural.count(report.targets.count, "target") + " ("
                                            + report.targets.prefix(10).map(\.name).joined(separator: ", ")
                                            + (report.targets.count > 10 ? ", …" : "") + ")."))),
                            .label(
                                .input(
                                    .type(.checkbox), .name("confirm"), .value("yes"), .id("confirm"), .required(true)),
                                .text(
                                    report.targets.count == 1
                                        ? " I confirm: run it on this target"
                                        : " I confirm: run it on these \(report.targets.count) targets")))),
                    .div(
                        .class("form-actions"),
                        .button(
                            .type(.submit), .name("intent"), .value("run"), .class("primary"), .id("run-button"),
                            .text("Run")),
                        // Back to the form as it was filled in (the same fields, shown again for editing).
                        .button(
                            .type(.submit), .name("intent"), .value("edit"), .id("back-button"),
                            .attribute(named: "formnovalidate", value: "formnovalidate"), .text("Back")))),
                PreviewDetails.render(report)
            ))
    }

    private static func hidden(_ form: ToolRunController.RunForm) -> Node<HTML.FormContext> {
        var fields: [(String, String)] = [("run", form.run ?? "")]
        for (name, value) in (form.params ?? [:]).sorted(by: { $0.key < $1.key }) {
            fields.append(("params[\(name)]", value))
        }
        for target in form.targets ?? [] { fields.append(("targets[]", target)) }
        for group in form.groups ?? [] { fields.append(("groups[]", group)) }
        fields.append(("selector", form.selector ?? ""))
        fields.append(("max_concurrency", form.max_concurrency ?? ""))
        fields.append(("max_errors", form.max_errors ?? ""))
        if let origin = form.rerun_of, !origin.isEmpty { fields.append(("rerun_of", origin)) }
        return .forEach(fields) { name, value in
            .input(.type(.hidden), .attribute(.name, name), .attribute(.value, value))
        }
    }
}
