import Foundation
import Vapor

/// A target as the API shows it.
struct TargetDTO: Content, Hashable {
    var name: String
    var address: String
    var port: Int
    var transport: String
    var os: String
    var credential: String?
    var username: String?
    var tags: [String: String]
    var source: String
    var host_key_policy: String?
    var jump: String?
    var created_at: Date?
    var updated_at: Date?
    var aws_environment: String?
    var aws_account: String?
    var aws_region: String?
    var instance_id: String?
    var winrm_auth: String?
    var winrm_scheme: String?
    var tls_verify: Bool?
    var tls_ca_bundle: String?
    var winrm_codepage: Int?

    init(_ target: Target) {
        name = target.name
        address = target.address
        port = target.port
        transport = target.transport
        os = target.os
        credential = target.$credential.value??.name
        username = target.username
        tags = target.tags
        source = target.source
        host_key_policy = target.hostKeyPolicy
        jump = target.$jumpTarget.value??.name
        created_at = target.createdAt
        updated_at = target.updatedAt
        aws_environment = target.awsEnvironment
        aws_account = target.awsAccount
        aws_region = target.awsRegion
        instance_id = target.instanceID
        winrm_auth = target.winrmAuth
        winrm_scheme = target.winrmScheme
        tls_verify = target.tlsVerify
        tls_ca_bundle = target.tlsCABundle
        winrm_codepage = target.winrmCodepage
    }
}

struct GroupDTO: Content, Hashable {
    var name: String
    var description: String?
    var selector: String?
    var credential: String?
    var static_members: [String]
    var members: [String]?
}

/// A credential's public facts; the secret is never returned.
struct CredentialDTO: Content, Hashable {
    var name: String
    var kind: String
    var username: String
    var summary: String?
    var is_default: Bool
    var created_at: Date?

    init(_ credential: Credential) {
        name = credential.name
        kind = credential.kind
        username = credential.username
        summary = credential.summary
        is_default = credential.isDefault
        created_at = credential.createdAt
    }
}

struct KnownHostDTO: Content, Hashable {
    var id: UUID?
    var hosts: String
    var key_type: String
    var fingerprint: String
    var marker: String?
    var source: String
    var added_by: String?
    var created_at: Date?

    init(_ record: KnownHostRecord) {
        id = record.id
        hosts = record.hosts
        key_type = record.keyType
        fingerprint = record.fingerprint
        marker = record.marker
        source = record.source
        added_by = record.addedBy
        created_at = record.createdAt
    }
}

extension InventoryImportReport: Content {}
extension KnownHostsImportReport: Content {}
