import OpsCore

/// The top-level areas in the navigation.
enum Section: String, CaseIterable, Sendable {
    case dashboard, tools, runs, jobs, targets, aws, conductor, changes, admin

    var title: String {
        switch self {
        case .dashboard: "Dashboard"
        case .tools: "Tools"
        case .runs: "Runs"
        case .jobs: "Jobs"
        case .targets: "Targets"
        case .aws: "AWS"
        case .conductor: "Conductor"
        case .changes: "Changes"
        case .admin: "Admin"
        }
    }

    var path: String {
        switch self {
        case .dashboard: SitePath.dashboard
        case .tools: SitePath.tools
        case .runs: SitePath.runs
        case .jobs: SitePath.jobs
        case .targets: SitePath.targets
        case .aws: SitePath.aws
        case .conductor: SitePath.conductor
        case .changes: SitePath.changes
        case .admin: SitePath.admin
        }
    }

    /// The role needed to see the section in the navigation.
    var minimumRole: Role { self == .admin ? .admin : .viewer }
}
