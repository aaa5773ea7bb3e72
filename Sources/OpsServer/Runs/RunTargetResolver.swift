import Fluent
import Foundation
import OpsCore
import OpsSSH
import OpsWinRM

/// Works out how to reach each target of a run, before it starts: credentials (the target's, its
/// groups', the default), keys parsed once per credential, jump hosts. A target that cannot be
/// reached gets the reason, which its executions report; the others still run.
struct RunTargetResolver {
    let connector: TargetConnector
    /// `--accept-new` for this run: unknown host keys are trusted and stored (never a changed key).
    let acceptNew: Bool
    let allowLocal: Bool

    /// A target from the inventory, and the secrets it brings (to mask in output).
    func resolve(_ target: Target) async -> (RunTarget, [String]) {
        var secrets = [String]()
        let connection: Result<TargetConnection, TransportFailure>
        do {
            connection = .success(try await self.connection(for: target, secrets: &secrets))
        } catch let error as SSHConnectionError {
            connection = .failure(TransportFailure(stage: error.stage.rawValue, message: error.message))
        } catch let error as WinRMConnectionError {
            connection = .failure(TransportFailure(stage: error.stage.rawValue, message: error.message))
        } catch let error as TransportFailure {
            connection = .failure(error)
        } catch {
            connection = .failure(TransportFailure(stage: "connect", message: String(describing: error)))
        }
        return (
            RunTarget(
                name: target.name, address: target.address, port: target.port, transport: target.transport,
                os: target.os, targetID: target.id, connection: connection),
            secrets
        )
    }

    private func connection(for target: Target, secrets: inout [String]) async throws -> TargetConnection {
        switch TransportKind(rawValue: target.transport) {
        case .ssh:
            var jumps = [SSHEndpoint]()
            var hop = try await target.$jumpTarget.get(on: connector.database)
            while let jump = hop {
                guard jumps.count < 5 else {
                    throw TransportFailure(stage: "connect", message: "more than 5 jump hosts")
                }
                jumps.insert(adjusted(try await connector.endpoint(for: jump), secrets: &secrets), at: 0)
                hop = try await jump.$jumpTarget.get(on: connector.database)
            }
            return .ssh(adjusted(try await connector.endpoint(for: target), secrets: &secrets), jumps: jumps)
        case .openssh:
            var client = try await connector.openSSHClient(for: target)
            if acceptNew && client.hostKeyPolicy == .strict { client.hostKeyPolicy = .acceptNew }
            if case .password(let password) = client.credential { secrets.append(password) }
            return .openssh(client)
        case .local:
            guard allowLocal else {
                throw TransportFailure(
                    stage: "connect", message: InventoryServiceError.localTransportDisabled(.allowLocalFlag).description
                )
            }
            return .local
        case .winrm:
            let windows = try await connector.winrmTarget(for: target)
            secrets.append(windows.credential.password)
            return .winrm(windows)
        case .ssm:
            guard let environment = target.awsEnvironment, let region = target.awsRegion,
                let instanceID = target.instanceID
            else {
                throw TransportFailure(
                    stage: "connect",
                    message:
                        "ssm target \(target.name) has no instance id, environment or region: sync it from /aws/instances"
                )
            }
            return .ssm(
                SSMLocation(
                    environment: environment, account: target.awsAccount, region: region, instanceID: instanceID))
        default:
            throw TransportFailure(
                stage: "connect", message: "the \(target.transport) transport is not available in this version")
        }
    }

    private func adjusted(_ endpoint: SSHEndpoint, secrets: inout [String]) -> SSHEndpoint {
        var endpoint = endpoint
        if acceptNew && endpoint.hostKeyPolicy == .strict { endpoint.hostKeyPolicy = .acceptNew }
        if case .password(let password) = endpoint.authentication { secrets.append(password) }
        return endpoint
    }

    /// A host from an inventory file given for this run only (`-i`): its own key file or password
    /// when the inventory names one, else the credential a target with its tags would get.
    func resolve(adHoc host: InventoryHost, keyCache: ParsedKeyCache) async -> (RunTarget, [String]) {
        let target = Target()
        target.name = host.name
        target.address = host.address ?? host.name
        target.transport = (host.transport ?? .ssh).rawValue
        target.port = host.port ?? TargetService.defaultPort(target.transport)
        target.os = (host.os ?? .linux).rawValue
        target.username = host.user
        target.tags = host.tags
        target.source = "inventory"
        if target.transport == TransportKind.winrm.rawValue {
            return await resolveWinRM(adHoc: host, target: target)
        }
        guard host.privateKeyFile != nil || host.password != nil, target.transport == TransportKind.ssh.rawValue else {
            return await resolve(target)
        }
        let connection: Result<TargetConnection, TransportFailure>
        var secrets = [String]()
        do {
            let authentication: SSHAuthentication
            if let path = host.privateKeyFile {
                authentication = .privateKey(try Self.key(at: path, target: host.name, cache: keyCache))
            } else {
                let password = host.password ?? ""
                secrets.append(password)
                authentication = .password(password)
            }
            guard let username = host.user ?? ProcessInfo.processInfo.environment["USER"] else {
                throw TransportFailure(stage: "authentication", message: "the inventory gives no user (ansible_user)")
            }
            let endpoint = SSHEndpoint(
                name: host.name, host: target.address, port: target.port, username: username,
                authentication: authentication, hostKeyPolicy: acceptNew ? .acceptNew : connector.defaultPolicy)
            connection = .success(.ssh(endpoint, jumps: []))
        } catch let error as TransportFailure {
            connection = .failure(error)
        } catch {
            connection = .failure(TransportFailure(stage: "authentication", message: String(describing: error)))
        }
        return (
            RunTarget(
                name: host.name, address: target.address, port: target.port, transport: target.transport,
                os: target.os, targetID: nil, connection: connection),
            secrets
        )
    }

    static func key(at path: String, target: String, cache: ParsedKeyCache) throws -> SSHPrivateKey {
        let expanded = (path as NSString).expandingTildeInPath
        if let cached = cache.key("file:" + expanded) { return cached }
        guard let text = try? String(contentsOfFile: expanded, encoding: .utf8) else {
            throw TransportFailure(stage: "authentication", message: "cannot read the key file \(path)")
        }
        do {
            let key = try OpenSSHPrivateKeyParser.parse(text, passphrase: nil, target: target)
            cache.store(key, for: "file:" + expanded)
            return key
        } catch {
            throw TransportFailure(stage: "authentication", message: String(describing: error))
        }
    }
}
