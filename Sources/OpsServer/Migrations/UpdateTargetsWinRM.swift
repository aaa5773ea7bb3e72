import Fluent

/// How a `winrm` target is reached (issue 14): the authentication, http or https, TLS verification and
/// the shell's code page. Every column nullable: null takes the default (NTLM; https on port 5986;
/// verified against the system store or the server's CA bundle; code page 65001).
struct UpdateTargetsWinRM: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite adds one column per ALTER TABLE.
        try await database.schema("targets").field("winrm_auth", .string).update()
        try await database.schema("targets").field("winrm_scheme", .string).update()
        try await database.schema("targets").field("tls_verify", .bool).update()
        try await database.schema("targets").field("tls_ca_bundle", .string).update()
        try await database.schema("targets").field("winrm_codepage", .int).update()
    }

    func revert(on database: any Database) async throws {
        for field in ["winrm_codepage", "tls_ca_bundle", "tls_verify", "winrm_scheme", "winrm_auth"] {
            try await database.schema("targets").deleteField(.string(field)).update()
        }
    }
}
