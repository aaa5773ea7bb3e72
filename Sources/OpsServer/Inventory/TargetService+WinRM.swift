import Foundation
import OpsCore
import OpsWinRM

extension TargetService {
    /// UTF-8: what a shell gets unless its target names another code page.
    static let defaultCodepage = 65001

    /// Applies the WinRM settings of `spec` and checks the target as a whole: they belong to `winrm`
    /// targets only (a target that stops being one loses them), Basic needs https, a CA bundle must be a
    /// PEM file the server can read, and '@' in a login (`user@domain`) is a Windows form.
    static func applyWinRM(_ spec: TargetSpec, to target: Target) throws {
        let isWinRM = target.transport == TransportKind.winrm.rawValue
        if !isWinRM {
            let given: [(String, Bool)] = [
                ("winrm_auth", spec.winrmAuth?.isEmpty == false), ("winrm_scheme", spec.winrmScheme?.isEmpty == false),
                ("tls_verify", spec.tlsVerify != nil), ("tls_ca_bundle", spec.tlsCABundle?.isEmpty == false),
                ("winrm_codepage", spec.winrmCodepage != nil),
            ]
            if let field = given.first(where: \.1)?.0 {
                throw InventoryServiceError.unusable(
                    field: field, message: "applies to winrm targets only; this one uses \(target.transport)")
            }
            target.winrmAuth = nil
            target.winrmScheme = nil
            target.tlsVerify = nil
            target.tlsCABundle = nil
            target.winrmCodepage = nil
            if let username = target.username, username.contains("@") {
                throw InventoryServiceError.unusable(
                    field: "username", message: "'@' (user@domain) is only for the Windows login of a winrm target")
            }
            return
        }
        if target.os != OSFamily.windows.rawValue {
            // WinRM reaches Windows only: the platform rules then keep Linux tools away from it.
            guard spec.os == nil else {
                throw InventoryServiceError.unusable(field: "os", message: "a winrm target runs windows")
            }
            target.os = OSFamily.windows.rawValue
        }
        if let auth = spec.winrmAuth {
            guard auth.isEmpty || WinRMAuthentication(rawValue: auth) != nil else {
                throw InventoryServiceError.invalid(
                    field: "winrm_auth", message: "must be ntlm, negotiate or basic, got '\(auth)'")
            }
            target.winrmAuth = auth.nonEmpty
        }
        if let scheme = spec.winrmScheme {
            guard scheme.isEmpty || WinRMEndpoint.Scheme(rawValue: scheme) != nil else {
                throw InventoryServiceError.invalid(
                    field: "winrm_scheme", message: "must be http or https, got '\(scheme)'")
            }
            target.winrmScheme = scheme.nonEmpty
        }
        // Verifying is the default: only "off" is stored, so that it stands out.
        if let verify = spec.tlsVerify { target.tlsVerify = verify ? nil : false }
        if let bundle = spec.tlsCABundle {
            if !bundle.isEmpty, let problem = CABundle.problem(bundle) {
                throw InventoryServiceError.unusable(field: "tls_ca_bundle", message: problem)
            }
            target.tlsCABundle = bundle.nonEmpty
        }
        if let codepage = spec.winrmCodepage {
            guard (1...65535).contains(codepage) else {
                throw InventoryServiceError.invalid(
                    field: "winrm_codepage", message: "must be a Windows code page from 1 to 65535, got \(codepage)")
            }
            target.winrmCodepage = codepage == Self.defaultCodepage ? nil : codepage
        }
        if let username = target.username, let problem = WindowsLogin.problem(username) {
            throw InventoryServiceError.unusable(field: "username", message: problem)
        }
        if let refusal = target.winrmEndpoint(defaultCABundle: nil).refusal {
            throw InventoryServiceError.unusable(field: "winrm_auth", message: refusal)
        }
    }
}

extension Target {
    /// Where and how to reach this `winrm` target: its settings over the defaults (NTLM; https on port
    /// 5986; certificates verified against its CA bundle, else `defaultCABundle`, else the system store).
    func winrmEndpoint(defaultCABundle: String?) -> WinRMEndpoint {
        let verification: WinRMEndpoint.TLSVerification =
            if tlsVerify == false {
                .none
            } else if let bundle = tlsCABundle ?? defaultCABundle {
                .caBundle(path: bundle)
            } else {
                .system
            }
        return WinRMEndpoint(
            host: address, port: port > 0 ? port : nil, scheme: winrmScheme.flatMap(WinRMEndpoint.Scheme.init),
            authentication: winrmAuth.flatMap(WinRMAuthentication.init), tlsVerification: verification)
    }
}
