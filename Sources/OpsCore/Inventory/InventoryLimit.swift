import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Ansible's `--limit`: terms separated by `,` or `:`; each a host or group name, with `*` and `?`
/// wildcards (`all` is everyone); `&term` keeps only hosts that also match it, `!term` drops the
/// hosts that match it. `web*:&prod:!web03` is the web hosts in prod except web03.
///
/// As Ansible's `split_host_pattern`: a pattern with a comma splits only at commas, and one without that is a
/// single IPv6 address (`2001:db8::10`, a host name in an inventory) is not split at its colons.
public enum InventoryLimit {
    public static func apply(_ pattern: String, to hosts: [InventoryHost]) -> [InventoryHost] {
        let bare = pattern.trimmingCharacters(in: .whitespaces)
        let separators: Set<Character> =
            pattern.contains(",") ? [","] : TargetAddress.isIPv6(String(bare.drop { "!&".contains($0) })) ? [] : [":"]
        let terms = pattern.split(whereSeparator: separators.contains)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let includes = terms.filter { !$0.hasPrefix("!") && !$0.hasPrefix("&") }
        let requires = terms.filter { $0.hasPrefix("&") }.map { String($0.dropFirst()) }
        let excludes = terms.filter { $0.hasPrefix("!") }.map { String($0.dropFirst()) }
        return hosts.filter { host in
            (includes.isEmpty || includes.contains { matches($0, host) })
                && requires.allSatisfy { matches($0, host) }
                && !excludes.contains { matches($0, host) }
        }
    }

    static func matches(_ term: String, _ host: InventoryHost) -> Bool {
        if term == "all" || term == "*" { return true }
        return glob(term, host.name) || host.groups.contains { glob(term, $0) }
    }

    static func glob(_ pattern: String, _ name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }
}
