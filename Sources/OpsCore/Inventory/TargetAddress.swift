import Foundation

/// Rules for the address PCM-Ops connects to: a hostname, an IPv4 address or a bracketless IPv6 address.
public enum TargetAddress {
    /// Returns `address` when it is a valid RFC 1123 hostname, dotted-quad IPv4 or IPv6 address.
    public static func validate(_ address: String) -> Result<String, InventoryError> {
        func failure(_ reason: String) -> Result<String, InventoryError> {
            .failure(.invalidAddress(address: address, reason: reason))
        }
        guard !address.isEmpty else { return failure("must not be empty") }
        if address.hasPrefix("[") || address.hasSuffix("]") {
            return failure("write IPv6 addresses without brackets, and the port separately")
        }
        if address.contains(":") {
            return isIPv6(address) ? .success(address) : failure("is not a valid IPv6 address")
        }
        if address.allSatisfy({ $0 == "." || ("0"..."9").contains($0) }) {
            return isIPv4(address)
                ? .success(address) : failure("is not a valid IPv4 address (four numbers 0-255 separated by dots)")
        }
        if let reason = hostnameProblem(address) { return failure(reason) }
        return .success(address)
    }

    /// Four decimal numbers 0–255 without leading zeros (which some resolvers read as octal).
    static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.allSatisfy({ ("0"..."9").contains($0) }),
                let value = Int(part), value <= 255
            else { return false }
            return part.count == 1 || part.first != "0"
        }
    }

    static func isIPv4(_ text: String) -> Bool { isIPv4(text[...]) }

    /// RFC 4291 §2.2 text forms: eight hex groups, one `::` for a run of zeros, an IPv4 tail allowed.
    static func isIPv6(_ text: String) -> Bool {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        let groups = halves.map { $0.isEmpty ? [] : $0.split(separator: ":", omittingEmptySubsequences: false) }
        let all = groups.flatMap { $0 }
        var count = 0
        for (index, group) in all.enumerated() {
            let isTail = index == all.count - 1 && !(halves.count == 2 && halves[1].isEmpty)
            if isTail, group.contains(".") {
                guard isIPv4(group) else { return false }
                count += 2
            } else {
                guard (1...4).contains(group.count), group.allSatisfy({ $0.isASCII && $0.isHexDigit }) else {
                    return false
                }
                count += 1
            }
        }
        return halves.count == 2 ? count < 8 : count == 8
    }

    /// RFC 1123 §2.1: labels of 1–63 letters, digits and hyphens, not starting or ending with a hyphen; plus `_`,
    /// which DNS itself allows (RFC 2181 §11), resolvers and `/etc/hosts` accept, and Ansible inventories use as
    /// host names (`some_host`) that double as the address.
    private static func hostnameProblem(_ name: String) -> String? {
        guard name.count <= 253 else { return "a hostname must be at most 253 characters" }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty else {
                return "a hostname must not have empty labels (\"..\" or a leading/trailing dot)"
            }
            guard label.count <= 63 else { return "hostname label '\(label)' is longer than 63 characters" }
            guard label.unicodeScalars.allSatisfy({ TargetName.isAlphanumeric($0) || $0 == "-" || $0 == "_" }) else {
                return "hostname label '\(label)' may contain only letters, digits, '-' and '_'"
            }
            guard label.first != "-", label.last != "-" else {
                return "hostname label '\(label)' must not start or end with '-'"
            }
        }
        return nil
    }
}
