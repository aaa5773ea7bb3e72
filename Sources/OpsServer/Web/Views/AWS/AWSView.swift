import Foundation
import Plot

/// `/aws`: per environment a status badge (account and ARN, or why not), the form to enter keys for this
/// session, refresh and clear; then the configured accounts. Secrets are never put back into a page.
enum AWSView {
    static func render(
        _ statuses: [AWSEnvironmentStatus], accounts: [AWSAccount], context: PageContext, error: String?
    ) -> HTML {
        let csrf = context.csrfToken ?? ""
        let canOperate = context.role.map { $0.allows(.operator) } ?? false
        // Only admins see the server's file paths in AWS messages (they fix the setup); everyone else sees them hidden.
        func readable(_ text: String) -> String { ServerPathRedaction.shown(text, to: context.role) }
        let statuses = statuses.map { status in
            var status = status
            status.source = readable(status.source)
            status.message = status.message.map(readable)
            return status
        }
        let error = error.map(readable)
        return Layout.page(
            title: "AWS", context: context,
            content: .group(
                .h1("AWS"),
                .p(
                    .a(.href(SitePath.awsInstances), .text("EC2 instances")),
                    .text(" — browse instances by account and region, run a tool on them or sync them as targets.")),
                .unwrap(error) { .div(.class("flash flash-error"), .id("aws-error"), .text($0)) },
                .div(
                    .class("aws-environments"),
                    .forEach(statuses) { environmentCard($0, csrf: csrf, canOperate: canOperate) }),
                AWSAccountsView.section(accounts, csrf: csrf, isAdmin: context.role == .admin)
            ))
    }

    static func badge(_ status: AWSEnvironmentStatus) -> Node<HTML.BodyContext> {
        switch status.state {
        case .connected: .span(.class("badge status-succeeded"), .text("connected"))
        case .missing: .span(.class("badge status-cancelled"), .text("no credentials"))
        case .failed: .span(.class("badge status-failed"), .text("error"))
        }
    }

    private static func environmentCard(_ status: AWSEnvironmentStatus, csrf: String, canOperate: Bool)
        -> Node<HTML.BodyContext>
    {
        let env = status.environment
        let base = SitePath.aws + "/\(env)"
        return .div(
            .class("card aws-env"), .attribute(.id, "aws-\(env)"),
            .h2(
                .text("\(env.uppercased()) "), .span(.class("muted"), .text("(\(status.partition))")), .text(" "),
                badge(status)),
            .dl(
                .class("facts"),
                .dt("Account"), .dd(.code(.text(status.account ?? "—"))),
                .dt("ARN"), .dd(.code(.class("aws-arn"), .text(status.arn ?? "—"))),
                .dt("Credentials"), .dd(.text(status.source)),
                .unwrap(status.maskedKeyID) { .group(.dt("Access key"), .dd(.code(.text($0)))) },
                .dt("Checked"), .dd(.text(status.checkedAt.formatted(.iso8601)))
            ),
            .unwrap(status.message) { .p(.class("bad aws-message"), .text($0)) },
            .if(
                canOperate,
                .group(
                    .div(
                        .class("run-actions"),
                        .form(
                            .class("inline"), .attribute(.action, base + "/refresh"), .method(.post),
                            CSRFField.node(csrf), .button(.type(.submit), .text("Refresh"))),
                        .if(
                            status.sessionKeys,
                            .form(
                                .class("inline"), .attribute(.action, base + "/clear"), .method(.post),
                                CSRFField.node(csrf), .button(.type(.submit), .class("danger"), .text("Clear keys"))))
                    ),
                    .details(
                        .summary(.text("Enter keys for this session")),
                        .form(
                            .attribute(.action, base + "/keys"), .method(.post), .class("stacked narrow-form"),
                            CSRFField.node(csrf),
                            .label(.attribute(.for, "\(env)-key"), .text("Access key id")),
                            .input(
                                .type(.text), .attribute(.id, "\(env)-key"), .name("access_key_id"), .required(true),
                                .attribute(named: "autocomplete", value: "off"),
                                .attribute(named: "spellcheck", value: "false")),
                            .label(.attribute(.for, "\(env)-secret"), .text("Secret access key")),
                            .input(
                                .type(.password), .attribute(.id, "\(env)-secret"), .name("secret_access_key"),
                                .required(true),
                                .attribute(named: "autocomplete", value: "off")),
                            .label(.attribute(.for, "\(env)-token"), .text("Session token (temporary keys only)")),
                            .input(
                                .type(.password), .attribute(.id, "\(env)-token"), .name("session_token"),
                                .attribute(named: "autocomplete", value: "off")),
                            .p(
                                .class("muted"),
                                .text(
                                    "Checked with STS GetCallerIdentity, then kept encrypted in your session only; "
                                        + "they end when you sign out.")),
                            .button(.type(.submit), .class("primary"), .text("Check and use"))
                        ))
                ))
        )
    }
}
