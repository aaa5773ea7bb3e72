import OpsCore
import Plot

/// Fields of the job pages' forms: a parameter (a secret one may keep a stored value), and the limits.
enum JobFields {
    /// One parameter. `usedBy` (the edit form) names the choices that take it, for `tool-form.js` to show only the
    /// chosen one's; without it the field is always shown. A secret's value is never written back: blank keeps the
    /// stored one (`stored`) and a required secret may stay blank (it is asked for at each run).
    static func parameter(
        _ spec: ParameterSpec, value: String?, stored: Bool, usedBy: [String]?, requiredNow: Bool, idPrefix: String
    ) -> Node<HTML.FormContext> {
        let id = "\(idPrefix)-\(spec.name)"
        let name = "params[\(spec.name)]"
        let required = requiredNow && !spec.secret
        var note = ""
        if spec.secret { note = stored ? " (stored; blank keeps it)" : " (secret; not stored unless given)" }
        if requiredNow && spec.secret && !stored { note = " (required; secret)" }
        let label = Node<HTML.FormContext>.label(
            .attribute(.for, id), .code(.text(spec.name)), .text(required ? " (required)" : ""), .text(note),
            .unwrap(spec.help) { .span(.class("muted"), .text(" — " + $0)) })
        let control: Node<HTML.FormContext>
        switch spec.type {
        case .enum, .bool:
            let options = spec.type == .bool ? ["true", "false"] : spec.values
            control = .select(
                .attribute(.id, id), .attribute(.name, name),
                .option(.value(""), .attribute(.label, "default\(spec.defaultValue.map { " (\($0))" } ?? "")")),
                .forEach(options) { option in
                    .option(.attribute(.value, option), .attribute(.label, option), .isSelected(value == option))
                })
        case .int:
            control = .input(
                .type(.number), .attribute(.id, id), .attribute(.name, name), .attribute(.value, value ?? ""),
                .attribute(.placeholder, spec.defaultValue ?? ""),
                .unwrap(spec.min) { .attribute(.min, String($0)) }, .unwrap(spec.max) { .attribute(.max, String($0)) },
                .required(required && usedBy == nil))
        case .string:
            control = .input(
                .type(spec.secret ? .password : .text), .attribute(.id, id), .attribute(.name, name),
                .attribute(.value, spec.secret ? "" : value ?? ""),
                .attribute(.placeholder, spec.secret ? (stored ? "stored" : "") : spec.defaultValue ?? ""),
                .unwrap(spec.pattern.flatMap { BrowserPattern.convert($0).attribute }) { .attribute(.pattern, $0) },
                .unwrap(spec.maxLength) { .attribute(.maxlength, String($0)) },
                .attribute(named: "autocomplete", value: "off"),
                .required(required && usedBy == nil))
        }
        return .div(
            .attribute(.class, usedBy == nil ? "job-param" : "param"),
            .attribute(.data("for"), (usedBy ?? []).joined(separator: " ")),
            .attribute(.data("required"), required ? "true" : "false"), label, control)
    }

    /// Max concurrency and max errors, as given (empty: the default).
    static func limits(concurrency: String, errors: String) -> Node<HTML.FormContext> {
        .fieldset(
            .element(named: "legend", text: "Limits"),
            .label(.for("max-concurrency"), .text("Max concurrency (N or N%, default 50)")),
            .input(
                .type(.text), .id("max-concurrency"), .name("max_concurrency"), .attribute(.value, concurrency),
                .attribute(named: "pattern", value: "[0-9]+%?")),
            .label(.for("max-errors"), .text("Max errors (N or N%; default 0 for destructive actions, else none)")),
            .input(
                .type(.text), .id("max-errors"), .name("max_errors"), .attribute(.value, errors),
                .attribute(named: "pattern", value: "[0-9]+%?")))
    }
}
