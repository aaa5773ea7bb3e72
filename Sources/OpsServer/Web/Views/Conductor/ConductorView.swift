import Foundation
import Plot

/// `/conductor`: the chat with Conductor. Server-rendered (history and cards read with JavaScript off; forms post
/// and come back here); `conductor.js` follows launched runs live on their cards.
enum ConductorView {
    static func render(_ model: ConductorPageModel, context: PageContext) -> HTML {
        let csrf = context.csrfToken ?? ""
        return Layout.page(
            title: "Conductor", context: context,
            content: .div(
                .class("conductor"),
                .div(.class("page-head"), .h1("Conductor")),
                .p(
                    .class("muted"),
                    .text(
                        "Ask in plain words — \u{201C}restart nginx on the web servers\u{201D}. Conductor answers with a "
                            + "plan over the catalog, asks what is missing, or refuses; nothing runs before you confirm."
                    )),
                .div(
                    .class("conductor-layout"),
                    history(model, csrf: csrf),
                    .section(
                        .class("conductor-chat"), .id("chat"),
                        .unwrap(model.selected) { conversation in
                            .div(
                                .id("messages"), .class("messages"),
                                .forEach(conversation.messages) { message(model, conversation, $0, csrf: csrf) })
                        },
                        composer(model, csrf: csrf))
                )),
            scripts: ["/js/conductor.js"])
    }

    private static func history(_ model: ConductorPageModel, csrf: String) -> Node<HTML.BodyContext> {
        .aside(
            .class("conductor-history card"), .id("history"),
            .h2("Conversations"),
            .a(.class("button"), .href(SitePath.conductor), .id("new-conversation"), .text("New conversation")),
            .if(model.conversations.isEmpty, .p(.class("muted"), .text("None yet."))),
            .ul(
                .forEach(model.conversations) { conversation in
                    .li(
                        .attribute(.class, conversation.id == model.selected?.id ? "active" : ""),
                        .a(
                            .attribute(.href, SitePath.conductorConversation(conversation.id)),
                            .text(conversation.title.isEmpty ? "New conversation" : conversation.title)),
                        .if(conversation.awaitingConfirmation, .span(.class("badge"), .text("awaiting yes"))),
                        .form(
                            .class("inline"), .method(.post),
                            .attribute(.action, SitePath.conductorDelete(conversation.id)),
                            CSRFField.node(csrf),
                            .button(
                                .type(.submit), .class("link-button clear-conversation"),
                                .attribute(named: "data-confirm", value: "Clear this conversation?"),
                                .text("Clear"))))
                })
        )
    }

    private static func composer(_ model: ConductorPageModel, csrf: String) -> Node<HTML.BodyContext> {
        .form(
            .id("composer"), .class("card composer"), .method(.post), .action(SitePath.conductorMessages),
            CSRFField.node(csrf),
            .unwrap(model.selected) { .input(.type(.hidden), .name("conversation"), .attribute(.value, $0.id)) },
            .label(.for("conductor-text"), .text("Your request")),
            .textarea(
                .id("conductor-text"), .name("text"), .attribute(named: "rows", value: "2"),
                .attribute(.maxlength, String(ConductorText.maxLength)), .required(true),
                .attribute(named: "placeholder", value: "update stationcontroller on CIS servers")),
            .div(.class("form-actions"), .button(.type(.submit), .class("primary"), .id("send"), .text("Send"))))
    }

    private static func message(
        _ model: ConductorPageModel, _ conversation: ConversationDTO, _ message: ConversationMessageDTO,
        csrf: String
    ) -> Node<HTML.BodyContext> {
        guard message.role == "assistant", let answer = message.answer else {
            return .div(
                .attribute(.class, "message message-user"), .attribute(.id, "m-\(message.seq)"),
                .p(.text(message.text)))
        }
        let awaiting = model.awaitingMessageID == message.id
        return .div(
            .attribute(.class, "message message-assistant kind-\(answer.kind)"), .attribute(.id, "m-\(message.seq)"),
            .attribute(.data("kind"), answer.kind),
            .p(.class("answer-text"), .text(answer.text)),
            .forEach(Array(answer.plans.enumerated())) { index, plan in
                planCard(model, plan, runID: answer.runIDs.flatMap { index < $0.count ? $0[index] : nil }, csrf: csrf)
            },
            .if(
                !answer.questions.isEmpty,
                .ul(
                    .class("questions"),
                    .forEach(answer.questions) { question in
                        .li(
                            .attribute(.data("field"), question.field),
                            .text(question.text),
                            .if(
                                !question.choices.isEmpty,
                                .div(
                                    .class("choices"),
                                    .forEach(question.choices.prefix(20)) { choice in
                                        say(
                                            choice, label: choice, conversation: conversation.id, csrf: csrf,
                                            primary: false)
                                    })))
                    })),
            .if(awaiting, confirmation(model, conversation.id, csrf: csrf)),
            explanation(answer))
    }

    private static func confirmation(_ model: ConductorPageModel, _ conversation: String, csrf: String)
        -> Node<HTML.BodyContext>
    {
        guard model.canLaunch else {
            return .p(
                .class("muted"), .id("viewer-note"),
                .text("Your role may plan but not launch: an operator can run this from the catalog."))
        }
        return .div(
            .class("confirm-actions"), .id("confirm-actions"),
            say("yes", label: "Confirm", conversation: conversation, csrf: csrf, primary: true, id: "confirm"),
            say("no", label: "Cancel", conversation: conversation, csrf: csrf, primary: false, id: "cancel"))
    }

    /// A button that says `text` in the conversation (Confirm, Cancel, a question's choice).
    private static func say(
        _ text: String, label: String, conversation: String, csrf: String, primary: Bool, id: String? = nil
    ) -> Node<HTML.BodyContext> {
        .form(
            .class("inline"), .method(.post), .action(SitePath.conductorMessages),
            CSRFField.node(csrf),
            .input(.type(.hidden), .name("conversation"), .attribute(.value, conversation)),
            .input(.type(.hidden), .name("text"), .attribute(.value, text)),
            .button(
                .type(.submit), .attribute(.class, primary ? "primary" : "choice-button"),
                .unwrap(id) { .attribute(.id, $0) }, .text(label)))
    }

    private static func planCard(
        _ model: ConductorPageModel, _ plan: ConductorReply.Plan, runID: String?, csrf: String
    ) -> Node<HTML.BodyContext> {
        .div(
            .class("card plan-card"),
            .attribute(.data("tool"), plan.tool),
            .h3(
                .a(.attribute(.href, SitePath.tool(plan.tool)), .text(plan.reference)),
                .if(plan.destructive, .span(.class("badge badge-warning destructive"), .text("destructive")))),
            .p(.class("muted"), .text(plan.action.map { "Action \($0)" } ?? "Workflow \(plan.workflow ?? "")")),
            .if(
                !plan.parameters.isEmpty,
                .dl(
                    .class("plan-parameters"),
                    .forEach(plan.parameters.sorted { $0.key < $1.key }) { name, value in
                        .group(.dt(.text(name)), .dd(.code(.text(value))))
                    })),
            .details(
                .summary(.class("target-summary"), .text(model.targetSummary(plan.targets))),
                .p(.class("plan-targets"), .text(plan.targets.joined(separator: ", ")))),
            .if(runID == nil && model.canLaunch, preview(plan, csrf: csrf)),
            .unwrap(runID) { runCard(model.runs[$0], id: $0) })
    }

    /// The run form's preview of exactly this plan: every target and every script as it would be rendered.
    private static func preview(_ plan: ConductorReply.Plan, csrf: String) -> Node<HTML.BodyContext> {
        var fields: [(String, String)] = [
            ("run", plan.action.map { "action:\($0)" } ?? "workflow:\(plan.workflow ?? "")")
        ]
        for (name, value) in plan.parameters.sorted(by: { $0.key < $1.key }) {
            fields.append(("params[\(name)]", value))
        }
        for target in plan.targets { fields.append(("targets[]", target)) }
        fields.append(("intent", "preview"))
        return .form(
            .class("inline preview-form"), .method(.post),
            .attribute(.action, SitePath.tool(plan.tool) + "/run"),
            CSRFField.node(csrf),
            .forEach(fields) { name, value in
                .input(.type(.hidden), .attribute(.name, name), .attribute(.value, value))
            },
            .button(.type(.submit), .class("link-button preview-scripts"), .text("Rendered scripts (preview)")))
    }

    /// A launched run, followed live by conductor.js: step bar, per-target counts, current target, elapsed and ETA,
    /// the log's tail and the run's page.
    private static func runCard(_ run: ConductorPageModel.RunCard?, id: String) -> Node<HTML.BodyContext> {
        let total = run?.targetCount ?? 0
        let steps = run?.steps ?? []
        return .div(
            .class("run-live"), .attribute(.data("run"), id), .attribute(.data("targets"), String(total)),
            .attribute(.data("steps"), String(max(1, steps.count))),
            .attribute(.data("started"), run?.startedAt.map { $0.iso8601 } ?? ""),
            .attribute(.data("finished"), run?.finishedAt.map { $0.iso8601 } ?? ""),
            .p(
                .a(.class("run-link"), .attribute(.href, SitePath.run(id)), .text("Run \(id)")), .text(" "),
                .span(.class("run-live-status"), RunBadge.node(run?.status ?? "queued"))),
            .div(
                .class("step-bar"),
                .text("Step "), .span(.class("live-step"), .text("1")), .text(" of \(max(1, steps.count))"),
                .if(!steps.isEmpty, .span(.class("muted"), .text(" (" + steps.joined(separator: ", ") + ")"))),
                .element(
                    named: "progress",
                    nodes: [
                        .class("live-progress"), .attribute(.max, String(max(1, total))),
                        .attribute(named: "value", value: "0"),
                    ])),
            .p(
                .class("live-counts"),
                .span(.class("live-done"), .text("0")), .text(" of \(total) targets done · "),
                .span(.class("live-succeeded"), .text("0")), .text(" succeeded · "),
                .span(.class("live-failed"), .text("0")), .text(" failed · "),
                .span(.class("live-running"), .text("0")), .text(" running")),
            .p(
                .class("live-times muted"),
                .text("Current: "), .span(.class("live-current"), .text("—")),
                .text(" · elapsed "), .span(.class("live-elapsed"), .text("—")),
                .text(" · ETA "), .span(.class("live-eta"), .text("—"))),
            .element(named: "pre", nodes: [.class("log live-log"), .attribute(named: "aria-live", value: "polite")]))
    }

    private static func explanation(_ answer: ConductorReply) -> Node<HTML.BodyContext> {
        guard !answer.explanation.isEmpty else { return .empty }
        return .details(
            .class("explanation"),
            .summary(.text("Why (confidence \(Int((answer.confidence * 100).rounded())) %)")),
            .ul(
                .forEach(answer.explanation) { match in
                    .li(.text("\u{201C}\(match.words)\u{201D} → \(match.kind) \(match.value)"))
                }))
    }
}
