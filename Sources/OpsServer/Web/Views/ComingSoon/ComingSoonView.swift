import Plot

/// Sections whose features have not landed yet say what they will do, instead of a dead link.
enum ComingSoonView {
    static func render(_ section: Section, context: PageContext) -> HTML {
        Layout.page(
            title: section.title, context: context,
            content: .div(
                .class("card"),
                .h1(.text(section.title)),
                .p(.class("badge-coming"), .text("Not available yet")),
                .p(.text(summary(section))),
                .ul(.forEach(features(section)) { .li(.text($0)) }),
                .p(.a(.href(SitePath.dashboard), .text("Back to the dashboard")))
            ))
    }

    static func summary(_ section: Section) -> String {
        switch section {
        case .tools: "The catalog of pre-approved, parameterized scripts and workflows."
        case .runs: "Every run, live and past, with per-target status and output."
        case .targets: "The inventory of servers PCM-Ops can reach, their groups and credentials."
        case .aws: "AWS accounts and regions in the commercial and GovCloud partitions."
        case .conductor: "Ask in plain language; get a reviewed plan over the catalog."
        case .changes: "ServiceNow change requests and the servers they cover."
        case .dashboard, .jobs, .admin: ""
        }
    }

    static func features(_ section: Section) -> [String] {
        switch section {
        case .tools:
            [
                "Linux QC patching prep and post, SFT fixer, Windows service update, package and service operations, system health",
                "Typed, validated parameters; a dry run shows the exact script and target list",
            ]
        case .runs:
            [
                "Overall and per-step progress, per-target status and live log lines", "Elapsed time, ETA and cancel",
                "The exact script (with SHA-256), who ran it and each target's exit code and output",
            ]
        case .targets:
            [
                "Import Ansible inventories (YAML, INI) and CSV", "Groups with static members and tag selectors",
                "Encrypted SSH keys and passwords, host key verification, test connection",
            ]
        case .aws:
            [
                "COM and GOV credential status and entry", "Accounts and regions",
                "EC2 instance browser; run tools through Systems Manager",
            ]
        case .conductor:
            ["\"Restart nginx on the web servers\" becomes a plan you review", "Clarifying questions and confirmation"]
        case .changes:
            ["Import a change's configuration items as targets", "Runs write work notes back to the change"]
        case .dashboard, .jobs, .admin: []
        }
    }
}
