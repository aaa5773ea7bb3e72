import Foundation
import OpsCore
import Plot

/// `/jobs`: saved jobs by name, each saying whether it can run; operators start new ones from here.
enum JobListView {
    static func render(_ jobs: [JobDTO], context: PageContext) -> HTML {
        let canRun = context.role?.allows(.operator) == true
        return Layout.page(
            title: "Jobs", context: context,
            content: .group(
                .div(
                    .class("page-head"), .h1("Jobs"),
                    .if(canRun, .a(.class("button primary"), .id("new-job"), .href(SitePath.newJob), .text("New job")))),
                .p(
                    .class("muted"),
                    .text(
                        "A job is a saved run: a tool's action or workflow with its parameters, targets and limits, "
                            + "run again with a click. Save one here, or with \"Save as job…\" on a run's page.")),
                .if(
                    jobs.isEmpty, .p(.id("no-jobs"), .text("No jobs yet.")),
                    else: .div(
                        .class("table-wrap"),
                        .table(
                            .id("jobs"),
                            .thead(
                                .tr(
                                    .th("Job"), .th("Runs"), .th("Targets"), .th("Owner"), .th("Version"),
                                    .th("Updated"), .th("State"))),
                            .tbody(.forEach(jobs) { row($0) }))))
            ))
    }

    static func row(_ job: JobDTO) -> Node<HTML.TableContext> {
        .tr(
            .attribute(.data("job"), job.name),
            .td(
                .a(.attribute(.href, SitePath.job(job.name)), .text(job.name)),
                .if(!job.description.isEmpty, .div(.class("muted"), .text(firstLine(job.description))))),
            .td(.code(.text(job.reference))),
            .td(.text(targetSummary(job))),
            .td(.text(job.owner)),
            .td(.text(String(job.version))),
            .td(JobShowView.time(job.updatedAt)),
            .td(
                .class("state"),
                .if(
                    job.problems.isEmpty, .span(.class("badge status-succeeded"), .text("ready")),
                    else: .group(
                        .span(.class("badge status-failed"), .text("broken")),
                        .div(.class("bad"), .text(job.problems.joined(separator: "; ")))))))
    }

    /// "2 targets · group web · tags env=prod", or who chooses them.
    static func targetSummary(_ job: JobDTO) -> String {
        var parts = [String]()
        if !job.targets.isEmpty {
            parts.append(
                job.targets.count <= 3
                    ? job.targets.joined(separator: ", ") : "\(job.targets.count) targets")
        }
        if !job.groups.isEmpty {
            parts.append((job.groups.count == 1 ? "group " : "groups ") + job.groups.joined(separator: ", "))
        }
        if let selector = job.selector { parts.append("tags " + selector) }
        if parts.isEmpty { return "chosen at each run" }
        return parts.joined(separator: " · ")
    }

    static func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        return line.count > 120 ? String(line.prefix(119)) + "…" : line
    }
}
