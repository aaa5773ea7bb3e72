import Foundation
import OpsCore

/// Which private key files an inventory import may read for `ansible_ssh_private_key_file`.
///
/// Ansible reads a key only when it connects, on the machine it runs on. For the CLI that machine is the
/// operator's, so the operator's own files are read (`~` expanded). The server is not the operator's
/// machine: through the web and the API, a path in an uploaded inventory must never tell its author which of
/// the server's files exist or are readable (`/etc/shadow`). So the server reads keys only from the
/// directory it is given (`--key-dir`, default none: keys are uploaded as credentials), and it answers the same
/// whether a file is missing, unreadable, outside that directory or not a key.
public enum KeyFilePolicy: Sendable, Equatable {
    /// The CLI: any file the local user can read.
    case localUser
    /// The server: only files inside this directory (nil: no files at all).
    case keyDirectory(String?)

    /// The key text for `path`, or the one message for every reason it cannot be used.
    func read(_ path: String) -> Result<(text: String, file: String), KeyFileRefusal> {
        switch self {
        case .localUser:
            let expanded = HomePath.expand(path)
            guard let text = try? String(contentsOfFile: expanded, encoding: .utf8) else {
                return .failure(KeyFileRefusal("cannot read \(path)"))
            }
            guard Self.looksLikePrivateKey(text) else {
                return .failure(KeyFileRefusal("\(path) is not a private key in PEM or OpenSSH format"))
            }
            return .success((text, expanded))
        case .keyDirectory(nil):
            return .failure(
                KeyFileRefusal(
                    "this server reads no key files (it was started without --key-dir); upload the key on the "
                        + "credentials page and give the target that credential"))
        case .keyDirectory(.some(let directory)):
            let refusal = KeyFileRefusal(
                "no usable private key for \(path) in the server's key directory; put it there or upload it on the "
                    + "credentials page")
            guard let base = FileSystemPath.real(directory) else { return .failure(refusal) }
            // The path as written when it lies inside the key directory, else its file name inside it.
            let expanded = HomePath.expand(path)
            let fileName = (expanded as NSString).lastPathComponent
            for candidate in [expanded, (base as NSString).appendingPathComponent(fileName)] {
                guard let real = FileSystemPath.regularFile(candidate, inside: base),
                    let text = try? String(contentsOfFile: real, encoding: .utf8), Self.looksLikePrivateKey(text)
                else { continue }
                return .success((text, real))
            }
            return .failure(refusal)
        }
    }

    /// PEM (`-----BEGIN … PRIVATE KEY-----`) or OpenSSH private key armour, and small.
    static func looksLikePrivateKey(_ text: String) -> Bool {
        text.utf8.count <= 64 << 10 && text.contains("-----BEGIN ") && text.contains("PRIVATE KEY-----")
    }
}

/// Why a key file was not used; the same text for every server-side reason.
public struct KeyFileRefusal: Error, Sendable, Equatable {
    public let message: String
    init(_ message: String) { self.message = message }
}
