import OpsCore
import Vapor

/// `/api/v1/targets`: everyone reads; admins change; operators test connections.
enum TargetsAPI {
    @Sendable static func list(_ request: Request) async throws -> [TargetDTO] {
        try await request.targetService.list(try filter(from: request)).map(TargetDTO.init)
    }

    @Sendable static func show(_ request: Request) async throws -> TargetDTO {
        TargetDTO(try await request.targetService.require(try request.parameter("name")))
    }

    @Sendable static func create(_ request: Request) async throws -> Response {
        let spec = try request.decodeJSON(TargetSpec.self)
        let target = try await request.targetService.create(spec, by: request.auditActor)
        let loaded = try await request.targetService.require(target.name)
        return try await TargetDTO(loaded).encodeResponse(status: .created, for: request)
    }

    @Sendable static func update(_ request: Request) async throws -> TargetDTO {
        var spec = try request.decodeJSON(PatchBody.self).spec
        spec.name = try request.parameter("name")
        let target = try await request.targetService.update(spec, by: request.auditActor)
        return TargetDTO(try await request.targetService.require(target.name))
    }

    @Sendable static func delete(_ request: Request) async throws -> HTTPStatus {
        try await request.targetService.delete(try request.parameter("name"), by: request.auditActor)
        return .noContent
    }

    /// `POST /api/v1/targets/{name}/test`.
    @Sendable static func test(_ request: Request) async throws -> ConnectionTestResultDTO {
        let target = try await request.targetService.require(try request.parameter("name"))
        let results = try await request.testConnections([target], object: "target:\(target.name)")
        return ConnectionTestResultDTO(results[0])
    }

    struct BulkTestBody: Content {
        var targets: [String]?
        var group: String?
    }

    /// `POST /api/v1/targets/test` with `{"targets":[…]}` and/or `{"group":"…"}`.
    @Sendable static func testMany(_ request: Request) async throws -> [ConnectionTestResultDTO] {
        let body = try request.decodeJSON(BulkTestBody.self)
        var targets = [Target]()
        for name in body.targets ?? [] { targets.append(try await request.targetService.require(name)) }
        if let group = body.group { targets += try await request.groupService.members(of: group) }
        guard !targets.isEmpty else { throw Abort(.badRequest, reason: "name targets and/or a group") }
        var seen = Set<String>()
        targets = targets.filter { seen.insert($0.name).inserted }
        return try await request.testConnections(targets, object: "targets").map(ConnectionTestResultDTO.init)
    }

    /// The list filters from the query string: `q`, `selector`, `group`, `os`, `transport`.
    static func filter(from request: Request) throws -> TargetFilter {
        var filter = TargetFilter()
        filter.text = request.query[String.self, at: "q"]?.nonEmpty
        if let selector = request.query[String.self, at: "selector"]?.nonEmpty
            ?? request.query[String.self, at: "tag"]?.nonEmpty
        {
            do {
                filter.selector = try TagSelector(parsing: selector)
            } catch {
                throw Abort(.badRequest, reason: "selector: \(error)")
            }
        }
        filter.group = request.query[String.self, at: "group"]?.nonEmpty
        if let os = request.query[String.self, at: "os"]?.nonEmpty {
            guard let parsed = OSFamily(parsing: os) else {
                throw Abort(.badRequest, reason: "os must be linux or windows")
            }
            filter.os = parsed
        }
        if let transport = request.query[String.self, at: "transport"]?.nonEmpty {
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

    /// PATCH body: every field optional; the name comes from the path.
    struct PatchBody: Content {
        var address: String?
        var port: Int?
        var transport: String?
        var os: String?
        var credential: String?
        var username: String?
        var tags: [String: String]?
        var host_key_policy: String?
        var jump: String?

        var spec: TargetSpec {
            TargetSpec(
                name: "", address: address, port: port, transport: transport, os: os, credential: credential,
                username: username, tags: tags, hostKeyPolicy: host_key_policy, jump: jump)
        }
    }
}

struct ConnectionTestResultDTO: Content {
    var target: String
    var transport: String
    var ok: Bool
    var failed_stage: String?
    var message: String
    var timings: [Timing]

    struct Timing: Content {
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
    }
}
