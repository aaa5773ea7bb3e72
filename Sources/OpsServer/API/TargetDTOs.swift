import OpsCore
import Vapor

extension TargetFilter {
    /// The list filters from the query string: `q`, `selector`, `group`, `os`, `transport`.
    static func parse(_ values: QueryValues) throws -> TargetFilter {
        var filter = TargetFilter()
        filter.text = values["q"]?.nonEmpty
        if let selector = values["selector"]?.nonEmpty
            ?? values["tag"]?.nonEmpty
        {
            do {
                filter.selector = try TagSelector(parsing: selector)
            } catch {
                throw Abort(.badRequest, reason: "selector: \(error)")
            }
        }
        filter.group = values["group"]?.nonEmpty
        if let os = values["os"]?.nonEmpty {
            guard let parsed = OSFamily(parsing: os) else {
                throw Abort(.badRequest, reason: "os must be linux or windows")
            }
            filter.os = parsed
        }
        if let transport = values["transport"]?.nonEmpty {
            guard let parsed = TransportKind(parsing: transport) else {
                throw Abort(
                    .badRequest,
                    reason: "transport must be one of \(TransportKind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            filter.transport = parsed
        }
        return filter
    }
}

/// PATCH body: every field optional; the name comes from the path.
struct TargetPatchBody: Content, Hashable {
    var address: String?
    var port: Int?
    var transport: String?
    var os: String?
    var credential: String?
    var username: String?
    var tags: [String: String]?
    var host_key_policy: String?
    var jump: String?
    var winrm_auth: String?
    var winrm_scheme: String?
    var tls_verify: Bool?
    var tls_ca_bundle: String?
    var winrm_codepage: Int?

    var spec: TargetSpec {
        TargetSpec(
            name: "", address: address, port: port, transport: transport, os: os, credential: credential,
            username: username, tags: tags, hostKeyPolicy: host_key_policy, jump: jump, winrmAuth: winrm_auth,
            winrmScheme: winrm_scheme, tlsVerify: tls_verify, tlsCABundle: tls_ca_bundle, winrmCodepage: winrm_codepage)
    }
}

struct ConnectionTestResultDTO: Content, Hashable {
    var target: String
    var transport: String
    var ok: Bool
    var failed_stage: String?
    var message: String
    var timings: [Timing]
    var facts: [String: String]?

    struct Timing: Content, Hashable {
        var stage: String
        var milliseconds: Double
    }

    init(_ result: ConnectionTestResult) {
        target = result.target
        transport = result.transport
        ok = result.ok
        failed_stage = result.failedStage
        message = result.message
        timings = result.timings.map { Timing(stage: $0.stage, milliseconds: $0.milliseconds) }
        facts = result.facts.isEmpty ? nil : result.facts
    }
}
