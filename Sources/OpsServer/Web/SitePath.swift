/// Every page path, so views and redirects never spell a URL twice.
enum SitePath {
    static let dashboard = "/"
    static let login = "/login"
    static let logout = "/logout"
    static let tools = "/tools"
    static let runs = "/runs"
    static let jobs = "/jobs"
    static let newJob = "/jobs/new"
    static let targets = "/targets"
    static let aws = "/aws"
    static let awsInstances = "/aws/instances"
    static let conductor = "/conductor"
    static let changes = "/changes"
    static let admin = "/admin"
    static let adminUsers = "/admin/users"
    static let adminTokens = "/admin/tokens"
    static let adminAudit = "/admin/audit"
    static let adminAuditCSV = "/admin/audit/export.csv"
    static let adminAuditJSON = "/admin/audit/export.json"
    static let accountTokens = "/account/tokens"
    static let accountPassword = "/account/password"
    static let dashboardLive = "/dashboard/live"
    static let gettingStarted = "/dashboard/getting-started"
    static let docs = "/docs"

    static let newTarget = "/inventory/new-target"
    /// Opens a tool's run form with the targets ticked on a target page (POST: `targets[]`, `tool`).
    static let targetSelection = "/inventory/run-tool"
    static let groups = "/inventory/groups"
    static let credentials = "/inventory/credentials"
    static let knownHosts = "/inventory/known-hosts"
    static let inventoryImport = "/inventory/import"

    static func target(_ name: String) -> String { "/targets/\(name)" }
    static func run(_ id: String) -> String { "/runs/\(id)" }
    static func job(_ name: String) -> String { "/jobs/\(name)" }
    /// The run form of a tool, filled in from a run ("Run again…").
    static func runAgain(_ run: RunDTO) -> String { "/tools/\(run.tool)?again=\(run.id)" }
    static let conductorMessages = "/conductor/messages"
    static func conductorConversation(_ id: String) -> String { "/conductor?c=\(id)" }
    static func conductorDelete(_ id: String) -> String { "/conductor/\(id)/delete" }
    static func tool(_ id: String) -> String { "/tools/\(id)" }
    static func group(_ name: String) -> String { "/inventory/groups/\(name)" }
    static func adminUser(_ name: String) -> String { "/admin/users/\(name)" }
    static func accountToken(_ id: String) -> String { "/account/tokens/\(id)" }
    static func adminToken(_ id: String) -> String { "/admin/tokens/\(id)" }
}
