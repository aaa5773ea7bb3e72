/// The login name an inventory import gives hosts whose inventory names none (`pcm-ops inventory import
/// --default-user`, the API's `default_user`, the import form's "Default user").
///
/// Ansible leaves such hosts to the SSH client, which logs in as the user running Ansible. PCM-Ops runs from a
/// server, not from the operator's shell, so it does not guess: without a default user such a host logs in as
/// the user of its credential, and the import report lists it.
public enum DefaultUser {
    /// The rule, as the API spells it (a JSON Schema / JavaScript `v`-flag pattern): what the target form
    /// accepts as a login name, 1–64 characters without spaces, `@`, `:` or control characters.
    public static let pattern = #"^[^\s@:\x00-\x1F\x7F]{1,64}$"#

    /// `name`, or ``InventoryServiceError/invalid(field:message:)`` naming `default_user`.
    public static func validate(_ name: String) throws -> String {
        let valid =
            (1...64).contains(name.count)
            && !name.unicodeScalars.contains {
                $0.properties.isWhitespace || $0 == "@" || $0 == ":" || $0.value < 0x20 || $0.value == 0x7F
            }
        guard valid else {
            throw InventoryServiceError.invalid(
                field: "default_user", message: "must be a login name of 1 to 64 characters without spaces, '@' or ':'")
        }
        return name
    }
}
