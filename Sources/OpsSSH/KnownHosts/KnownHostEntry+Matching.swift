import Crypto
import Foundation
import NIOSSH

extension KnownHostEntry {
    /// Whether the line applies to `host` on `port`, as `ssh` decides (sshd(8) SSH_KNOWN_HOSTS FILE FORMAT;
    /// OpenSSH `match_hostname`):
    ///
    /// - the name looked up is `host` for port 22 and `[host]:port` otherwise, compared case-insensitively;
    /// - a pattern list matches when some pattern matches and no `!`-negated pattern does (a negated match
    ///   excludes the line even if another pattern matched);
    /// - a hashed name matches when HMAC-SHA1(salt, name) equals the stored hash.
    public func matches(host: String, port: Int) -> Bool {
        let name = Self.knownHostsName(host: host.lowercased(), port: port)
        switch hosts {
        case .patterns(let patterns):
            return HostPatternList(patterns).matches(name)
        case .hashed(let salt, let hash):
            return Self.hostHash(name, salt: salt) == hash
        }
    }

    /// HMAC-SHA1 keyed with `salt` over `name`: the `|1|` hashing of `HashKnownHosts` (OpenSSH `host_hash`).
    static func hostHash(_ name: String, salt: Data) -> Data {
        Data(HMAC<Insecure.SHA1>.authenticationCode(for: Data(name.utf8), using: SymmetricKey(data: salt)))
    }

    /// Like ``make(host:port:key:)``, but with the host name hashed under a fresh random 20-byte salt, as `ssh`
    /// writes entries when `HashKnownHosts yes` is set.
    public static func makeHashed(host: String, port: Int, key: NIOSSHPublicKey) -> KnownHostEntry {
        var entry = make(host: host, port: port, key: key)
        var generator = SystemRandomNumberGenerator()
        let salt = Data((0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
        entry.hosts = .hashed(
            salt: salt, hash: hostHash(knownHostsName(host: host.lowercased(), port: port), salt: salt))
        return entry
    }
}

/// A comma-separated host pattern list (ssh_config(5) PATTERNS; OpenSSH `match_pattern_list`).
struct HostPatternList {
    private let patterns: [(negated: Bool, pattern: [UInt8])]

    init(_ patterns: [String]) {
        self.patterns = patterns.map { raw in
            let negated = raw.hasPrefix("!")
            return (negated, Array((negated ? String(raw.dropFirst()) : raw).lowercased().utf8))
        }
    }

    /// True when a positive pattern matches `name` and no negated one does.
    func matches(_ name: String) -> Bool {
        let subject = Array(name.lowercased().utf8)
        var positive = false
        for (negated, pattern) in patterns where Self.wildcardMatch(subject, pattern) {
            if negated { return false }
            positive = true
        }
        return positive
    }

    /// `*` matches any run of characters (including none), `?` exactly one; everything else, brackets and colons
    /// included, matches itself (OpenSSH `match_pattern`).
    static func wildcardMatch(_ subject: [UInt8], _ pattern: [UInt8]) -> Bool {
        let star = UInt8(ascii: "*")
        let question = UInt8(ascii: "?")
        var s = 0
        var p = 0
        var starAt: Int?
        var resumeAt = 0
        while s < subject.count {
            if p < pattern.count, pattern[p] == star {
                starAt = p
                resumeAt = s
                p += 1
            } else if p < pattern.count, pattern[p] == question || pattern[p] == subject[s] {
                s += 1
                p += 1
            } else if let starAt {
                p = starAt + 1
                resumeAt += 1
                s = resumeAt
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == star { p += 1 }
        return p == pattern.count
    }
}
