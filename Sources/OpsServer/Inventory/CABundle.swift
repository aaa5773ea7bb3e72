import Foundation
import NIOSSL

/// A PEM file of certificate authorities to trust for a WinRM listener's certificate (a target's
/// `tls_ca_bundle`, the server's `--winrm-ca-bundle`). Checked when it is saved, so a typo is a
/// refusal now rather than a TLS failure at the first run.
enum CABundle {
    /// Why the file at `path` cannot serve as a CA bundle, or nil.
    static func problem(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return "must be an absolute path, got '\(path)'" }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "no file at \(path)"
        }
        guard !isDirectory.boolValue else { return "\(path) is a directory; name a PEM file of certificates" }
        guard let data = FileManager.default.contents(atPath: path) else { return "cannot read \(path)" }
        guard data.count <= 10 << 20 else { return "\(path) is larger than 10 MB" }
        guard String(decoding: data, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
            return "\(path) holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
        }
        do {
            let certificates = try NIOSSLCertificate.fromPEMBytes(Array(data))
            return certificates.isEmpty ? "\(path) holds no PEM certificate" : nil
        } catch {
            return "\(path) is not a readable PEM certificate bundle: \(error)"
        }
    }
}
