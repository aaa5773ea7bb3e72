import Foundation
import NIOSSH

/// One key line of a known_hosts file (sshd(8), SSH_KNOWN_HOSTS FILE FORMAT):
///
///     [@cert-authority|@revoked] hostpatterns|hashed-host keytype base64-key [comment]
///
/// Keys of every type are kept, including ones swift-nio-ssh cannot use (ssh-rsa, ssh-dss, sk-…): they are checked
/// as SSH public key blobs (valid base64 whose first string is the line's key type) and take part in host key
/// verification, where they make a different presented key a mismatch, as OpenSSH's would.
public struct KnownHostEntry: Sendable, Hashable {
    /// The marker that changes what the line means.
    public enum Marker: String, Sendable, Codable, Hashable {
        /// The key is a certificate authority for the matching hosts (host certificates, not plain keys).
        case certAuthority = "@cert-authority"
        /// The key must never be accepted for the matching hosts.
        case revoked = "@revoked"
    }

    /// Which hosts the line is for.
    public enum Hosts: Sendable, Codable, Hashable {
        /// Comma-separated patterns as written: `*` and `?` wildcards, `!` negation, `[host]:port` for other ports.
        case patterns([String])
        /// A hashed name, `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`, as `HashKnownHosts` / `ssh-keygen -H`
        /// write it; `name` is `host` for port 22 and `[host]:port` otherwise.
        case hashed(salt: Data, hash: Data)
    }

    /// `@cert-authority`, `@revoked` or nil for a plain trusted key.
    public var marker: Marker?
    /// The host patterns or hashed host name.
    public var hosts: Hosts
    /// The key's SSH algorithm name, e.g. "ssh-ed25519" or "ssh-rsa".
    public let keyType: String
    /// The key blob in base64, as in the file.
    public let keyBase64: String
    /// The rest of the line after the key, if any.
    public var comment: String?
    /// The 1-based line number the entry was read from; nil for entries made in code.
    public var line: Int?
    /// The decoded key blob, checked when the entry was created.
    let keyBlob: [UInt8]

    /// An entry from its parts; the key must be valid base64 of a blob of type `keyType`, else
    /// ``SSHError/malformedPublicKey(_:)``.
    public init(
        marker: Marker? = nil, hosts: Hosts, keyType: String, keyBase64: String, comment: String? = nil,
        line: Int? = nil
    ) throws(SSHError) {
        let keyBlob = try SSHPublicKeyFingerprint.validatedBlob(keyType: keyType, keyBase64: keyBase64)
        self.init(
            marker: marker, hosts: hosts, keyType: keyType, keyBase64: keyBase64, comment: comment, line: line,
            keyBlob: keyBlob)
    }

    private init(
        marker: Marker?, hosts: Hosts, keyType: String, keyBase64: String, comment: String?, line: Int?,
        keyBlob: [UInt8]
    ) {
        self.marker = marker
        self.hosts = hosts
        self.keyType = keyType
        self.keyBase64 = keyBase64
        self.comment = comment
        self.line = line
        self.keyBlob = keyBlob
    }

    /// The plain entry OpenSSH records for a newly accepted host key (what `accept-new` stores): the host name as
    /// known_hosts spells it for `port`, lowercased as `ssh` does, and the key.
    public static func make(host: String, port: Int, key: NIOSSHPublicKey) -> KnownHostEntry {
        let text = String(openSSHPublicKey: key)
        let keyType = String(text.prefix(while: { $0 != " " }))
        let keyBase64 = String(text.drop(while: { $0 != " " }).dropFirst())
        return KnownHostEntry(
            marker: nil, hosts: .patterns([knownHostsName(host: host.lowercased(), port: port)]), keyType: keyType,
            keyBase64: keyBase64, comment: nil, line: nil, keyBlob: SSHPublicKeyFingerprint.wireBlob(of: key))
    }

    /// `host` for port 22 and `[host]:port` otherwise: the name known_hosts lines and hashes use.
    public static func knownHostsName(host: String, port: Int) -> String {
        port == 22 ? host : "[\(host)]:\(port)"
    }

    /// The key's fingerprint as `ssh-keygen -lf` prints it ("SHA256:…").
    public var fingerprint: String { SSHPublicKeyFingerprint.sha256(ofBlob: keyBlob) }

    /// The entry as a known_hosts line, without line break.
    public var knownHostsLine: String {
        var fields: [String] = []
        if let marker { fields.append(marker.rawValue) }
        switch hosts {
        case .patterns(let patterns): fields.append(patterns.joined(separator: ","))
        case .hashed(let salt, let hash):
            fields.append("|1|\(salt.base64EncodedString())|\(hash.base64EncodedString())")
        }
        fields += [keyType, keyBase64]
        if let comment, !comment.isEmpty { fields.append(comment) }
        return fields.joined(separator: " ")
    }

    /// Whether this is `key`, compared by wire blob.
    public func holds(_ key: NIOSSHPublicKey) -> Bool {
        keyBlob == SSHPublicKeyFingerprint.wireBlob(of: key)
    }
}

extension KnownHostEntry: Codable {
    private enum CodingKeys: String, CodingKey {
        case marker, hosts, keyType, keyBase64, comment, line
    }

    /// Decodes and re-validates the key, so a stored entry can never hold an unusable blob.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let keyType = try container.decode(String.self, forKey: .keyType)
        let keyBase64 = try container.decode(String.self, forKey: .keyBase64)
        let keyBlob: [UInt8]
        do {
            keyBlob = try SSHPublicKeyFingerprint.validatedBlob(keyType: keyType, keyBase64: keyBase64)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .keyBase64, in: container, debugDescription: error.description)
        }
        self.init(
            marker: try container.decodeIfPresent(Marker.self, forKey: .marker),
            hosts: try container.decode(Hosts.self, forKey: .hosts), keyType: keyType, keyBase64: keyBase64,
            comment: try container.decodeIfPresent(String.self, forKey: .comment),
            line: try container.decodeIfPresent(Int.self, forKey: .line), keyBlob: keyBlob)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(marker, forKey: .marker)
        try container.encode(hosts, forKey: .hosts)
        try container.encode(keyType, forKey: .keyType)
        try container.encode(keyBase64, forKey: .keyBase64)
        try container.encodeIfPresent(comment, forKey: .comment)
        try container.encodeIfPresent(line, forKey: .line)
    }
}
