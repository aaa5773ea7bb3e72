import OpsCore
import OpsWinRM

extension RunTargetResolver {
    /// A `winrm` host of an inventory given for one run: its WinRM settings, and its own account when
    /// the inventory gives a password (else the credential a target with its tags would get).
    func resolveWinRM(adHoc host: InventoryHost, target: Target) async -> (RunTarget, [String]) {
        if let settings = host.winrm {
            target.winrmAuth = settings.authentication
            target.winrmScheme = settings.scheme
            target.tlsVerify = settings.verifyCertificates
            target.tlsCABundle = settings.caBundle
        }
        target.os = OSFamily.windows.rawValue
        guard let password = host.password else { return await resolve(target) }
        let endpoint = target.winrmEndpoint(defaultCABundle: connector.winrmCABundle)
        let connection: Result<TargetConnection, TransportFailure>
        if let user = host.user {
            if let refusal = endpoint.refusal {
                connection = .failure(TransportFailure(stage: "authentication", message: refusal))
            } else if let bundle = target.tlsCABundle, let problem = CABundle.problem(bundle) {
                connection = .failure(TransportFailure(stage: "tls", message: "ansible CA bundle: \(problem)"))
            } else {
                connection = .success(
                    .winrm(
                        WinRMTarget(
                            name: host.name, endpoint: endpoint,
                            credential: WinRMCredential(login: user, password: password))))
            }
        } else {
            connection = .failure(
                TransportFailure(stage: "authentication", message: "the inventory gives no user (ansible_user)"))
        }
        return (
            RunTarget(
                name: host.name, address: target.address, port: target.port, transport: target.transport,
                os: target.os, targetID: nil, connection: connection),
            [password]
        )
    }
}
