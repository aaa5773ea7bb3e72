import Fluent

/// Every migration, in the order it landed. Append only; never edit one that has landed.
enum Migrations {
    static let all: [any Migration] = [
        CreateUsers(),
        CreateAPITokens(),
        CreateSessions(),
        CreateAuditLog(),
        CreateInventory(),
        CreateRuns(),
        AddAWS(),
        CreateLoginAttempts(),
        AddRunHistory(),
        AddEventTarget(),
        UpdateTargetsWinRM(),
        CreateConversations(),
        CreateUserSettings(),
        CreateTargetChecks(),
        CreateJobs(),
    ]
}
