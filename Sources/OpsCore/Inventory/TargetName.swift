/// Naming rules for targets, shared by every importer, the web forms and the API.
public enum TargetName {
    /// Longest accepted name: the longest DNS name, so a name can always double as an address.
    public static let maxLength = 253

    /// Returns `name` when it is 1–253 characters of `[A-Za-z0-9._-]` starting with a letter or digit.
    public static func validate(_ name: String) -> Result<String, InventoryError> {
        guard !name.isEmpty else { return .failure(.invalidTargetName(name: name, reason: "must not be empty")) }
        guard name.count <= maxLength else {
            return .failure(.invalidTargetName(name: name, reason: "must be at most \(maxLength) characters"))
        }
        guard name.unicodeScalars.allSatisfy(isAllowed) else {
            return .failure(
                .invalidTargetName(name: name, reason: "may contain only letters, digits, '.', '_' and '-'"))
        }
        guard let first = name.unicodeScalars.first, isAlphanumeric(first) else {
            return .failure(.invalidTargetName(name: name, reason: "must start with a letter or digit"))
        }
        return .success(name)
    }

    /// Returns `name` when it is a valid name (``validate(_:)``) or a bare IPv6 address such as `2001:db8::10`,
    /// which Ansible inventories use as host names; such a target connects to that address.
    public static func validateHost(_ name: String) -> Result<String, InventoryError> {
        if name.contains(":"), TargetAddress.isIPv6(name) { return .success(name) }
        return validate(name)
    }

    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        default: false
        }
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        isAlphanumeric(scalar) || scalar == "." || scalar == "_" || scalar == "-"
    }
}
