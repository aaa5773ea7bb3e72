import Foundation

/// Whether this machine is an EC2 instance, from what the hypervisor tells the kernel (the DMI vendor of Nitro
/// instances, the `ec2` prefix of Xen instances' UUIDs). The chain asks IMDS only on EC2 or when
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` names an endpoint, so a server elsewhere never sends a packet to the
/// link-local metadata address.
public enum EC2HostDetection {
    static let files = [
        "/sys/devices/virtual/dmi/id/sys_vendor", "/sys/devices/virtual/dmi/id/bios_vendor",
        "/sys/devices/virtual/dmi/id/product_uuid", "/sys/hypervisor/uuid",
    ]

    /// True when any of the files says EC2; `readFile` is injectable for tests.
    public static func looksLikeEC2(
        readFile: (String) -> String? = { try? String(contentsOfFile: $0, encoding: .utf8) }
    )
        -> Bool
    {
        files.contains { path in
            guard let text = readFile(path)?.trimmingWhitespace().lowercased() else { return false }
            return text.contains("amazon ec2") || text.hasPrefix("ec2") || text == "amazon"
        }
    }
}

/// Stands in for IMDS off EC2: always unavailable, saying why.
struct NotOnEC2CredentialProvider: AWSCredentialProvider {
    func credentials() async throws -> ProvidedCredentials {
        throw AWSError.credentialsUnavailable(
            source: IMDSCredentialProvider.source,
            reason: "this host is not an EC2 instance (set AWS_EC2_METADATA_SERVICE_ENDPOINT to use one anyway)")
    }
}
