import Fluent
import Foundation

/// A server PCM-Ops can reach.
public final class Target: Model, @unchecked Sendable {
    public static let schema = "targets"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "address") public var address: String
    @Field(key: "port") public var port: Int
    /// ssh | openssh | winrm | ssm | local
    @Field(key: "transport") public var transport: String
    /// linux | windows
    @Field(key: "os") public var os: String
    @OptionalParent(key: "credential_id") public var credential: Credential?
    /// Overrides the credential's login name when set (inventory `ansible_user`).
    @OptionalField(key: "username") public var username: String?
    /// JSON object of tag keys to values.
    @Field(key: "tags") public var tagsJSON: String
    /// manual | inventory | ec2 | servicenow
    @Field(key: "source") public var source: String
    /// strict | accept-new; nil follows the server default (strict).
    @OptionalField(key: "host_key_policy") public var hostKeyPolicy: String?
    @OptionalParent(key: "jump_target_id") public var jumpTarget: Target?
    /// For `ssm` targets: com | gov.
    @OptionalField(key: "aws_environment") public var awsEnvironment: String?
    /// For `ssm` targets: the 12-digit account id.
    @OptionalField(key: "aws_account") public var awsAccount: String?
    /// For `ssm` targets: the region.
    @OptionalField(key: "aws_region") public var awsRegion: String?
    /// For `ssm` targets: the EC2 instance id (unique).
    @OptionalField(key: "instance_id") public var instanceID: String?
    /// For `winrm` targets: ntlm | negotiate | basic; nil: ntlm.
    @OptionalField(key: "winrm_auth") public var winrmAuth: String?
    /// For `winrm` targets: http | https; nil: https on port 5986, else http.
    @OptionalField(key: "winrm_scheme") public var winrmScheme: String?
    /// For `winrm` targets over https: false turns certificate verification off (an explicit choice); nil: on.
    @OptionalField(key: "tls_verify") public var tlsVerify: Bool?
    /// For `winrm` targets over https: PEM file of the CAs to trust; nil: the server's default bundle or the
    /// system store.
    @OptionalField(key: "tls_ca_bundle") public var tlsCABundle: String?
    /// For `winrm` targets: the shell's code page; nil: 65001 (UTF-8).
    @OptionalField(key: "winrm_codepage") public var winrmCodepage: Int?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    /// Tags as a dictionary (an unreadable value counts as no tags).
    public var tags: [String: String] {
        get { (try? JSONDecoder().decode([String: String].self, from: Data(tagsJSON.utf8))) ?? [:] }
        set {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            tagsJSON = (try? encoder.encode(newValue)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
    }
}
