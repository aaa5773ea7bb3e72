import Fluent
import Foundation
import OpsCore
import Vapor

/// The target pages: list, add, show, edit, delete, test connection.
enum TargetsController {
    struct TargetForm: Content {
        var name: String?
        var address: String?
        var port: String?
        var transport: String?
        var os: String?
        var credential: String?
        var username: String?
        var tags: String?
        var host_key_policy: String?
        var jump: String?
        var winrm_auth: String?
        var winrm_scheme: String?
        var tls_verify: String?
        var tls_ca_bundle: String?
        var winrm_codepage: String?

        /// The spec the form describes; field errors name the field. The WinRM fields count for a `winrm`
        /// target only (empty ones take the defaults), and refuse a value for any other.
        func spec(name: String) throws -> TargetSpec {
            var port: Int?
            if let text = self.port?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                guard let number = Int(text) else {
                    throw InventoryServiceError.invalid(field: "port", message: "must be a number, got '\(text)'")
                }
                port = number
            }
            var tags: [String: String] = [:]
            let tagText = (self.tags ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: ",")
            if !tagText.isEmpty {
                do {
                    tags = try Tags(parsing: tagText).dictionary
                } catch {
                    throw InventoryServiceError.invalid(field: "tags", message: error.description)
                }
            }
            let winrm = TransportKind(parsing: transport ?? "") == .winrm
            var codepage: Int?
            if let text = winrm_codepage?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                guard let number = Int(text) else {
                    throw InventoryServiceError.invalid(
                        field: "winrm_codepage", message: "must be a number, got '\(text)'")
                }
                codepage = number
            } else if winrm {
                codepage = TargetService.defaultCodepage
            }
            return TargetSpec(
                name: name, address: address?.trimmingCharacters(in: .whitespaces).nonEmpty, port: port,
                transport: transport, os: os, credential: credential ?? "", username: username ?? "", tags: tags,
                hostKeyPolicy: host_key_policy ?? "", jump: jump ?? "", winrmAuth: winrm_auth ?? "",
                winrmScheme: winrm_scheme ?? "", tlsVerify: tls_verify == "off" ? false : (winrm ? true : nil),
                tlsCABundle: tls_ca_bundle?.trimmingCharacters(in: .whitespaces) ?? "", winrmCodepage: codepage)
        }

        var values: TargetFormView.Values {
            var values = TargetFormView.Values()
            values.name = name ?? ""
            values.address = address ?? ""
            values.port = port ?? ""
            values.transport = transport ?? "ssh"
            values.os = os ?? "linux"
            values.credential = credential ?? ""
            values.username = username ?? ""
            values.tags = tags ?? ""
            values.hostKeyPolicy = host_key_policy ?? ""
            values.jump = jump ?? ""
            values.winrmAuth = winrm_auth ?? ""
            values.winrmScheme = winrm_scheme ?? ""
            values.tlsVerify = tls_verify ?? ""
            values.tlsCABundle = tls_ca_bundle ?? ""
            values.winrmCodepage = winrm_codepage ?? ""
            return values
        }
    }

    @Sendable static func list(_ request: Request) async throws -> Response {
        var query = [String: String]()
        for key in ["q", "selector", "group", "os", "transport"] {
            if let value = request.query[String.self, at: key], !value.isEmpty { query[key] = value }
        }
        let groups = try await request.groupService.list().map(\.name)
        var model = TargetListView.Model(targets: [], groups: groups, query: query)
        var status = HTTPResponseStatus.ok
        do {
            model.targets = try await request.targetService.list(try TargetFilter.parse(QueryValues(request)))
            model.lastRuns = try await TargetActivity(database: request.db).lastRuns(model.targets.map(\.name))
            model.checks = try await TargetCheckStore(database: request.db).latest(model.targets.compactMap(\.id))
            model.tools = request.services.catalog.catalog.tools.map { (id: $0.id, name: $0.name) }
        } catch let error as AbortError where error.status == .badRequest {
            model.error = error.reason
            status = .badRequest
        } catch let error as InventoryServiceError {
            model.error = error.description
            status = error.status
        }
        return TargetListView.render(model, context: try await request.pageContext(.targets)).response(status: status)
    }

    @Sendable static func newForm(_ request: Request) async throws -> Response {
        TargetFormView.renderNew(
            values: .init(), choices: try await choices(request, excluding: nil),
            context: try await request.pageContext(.targets),
            error: nil
        ).response()
    }

    @Sendable static func create(_ request: Request) async throws -> Response {
        let form = try request.content.decode(TargetForm.self)
        do {
            let target = try await request.targetService.create(
                try form.spec(name: form.name ?? ""), by: request.auditActor)
            return try await request.redirect(
                to: SitePath.target(target.name), flash: Flash(.success, "Added \(target.name)."))
        } catch let error as InventoryServiceError {
            return TargetFormView.renderNew(
                values: form.values, choices: try await choices(request, excluding: nil),
                context: try await request.pageContext(.targets), error: error.description
            ).response(status: error.status)
        }
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        try await detail(request, target: try await request.targetService.require(try request.parameter("name")))
    }

    @Sendable static func update(_ request: Request) async throws -> Response {
        let target = try await request.targetService.require(try request.parameter("name"))
        let form = try request.content.decode(TargetForm.self)
        do {
            try await request.targetService.update(try form.spec(name: target.name), by: request.auditActor)
            return try await request.redirect(
                to: SitePath.target(target.name), flash: Flash(.success, "Saved \(target.name)."))
        } catch let error as InventoryServiceError {
            return try await detail(
                request, target: target, values: form.values, error: error.description, status: error.status)
        }
    }

    @Sendable static func delete(_ request: Request) async throws -> Response {
        let name = try request.parameter("name")
        do {
            try await request.targetService.delete(name, by: request.auditActor)
            return try await request.redirect(to: SitePath.targets, flash: Flash(.success, "Deleted \(name)."))
        } catch let error as InventoryServiceError {
            if case .notFound = error { throw error }
            return try await request.redirect(to: SitePath.target(name), flash: Flash(.error, error.description))
        }
    }

    @Sendable static func test(_ request: Request) async throws -> Response {
        let target = try await request.targetService.require(try request.parameter("name"))
        let admin = (try? request.content.get(String.self, at: "admin")) == "true"
        let results = try await request.testConnections(
            [target], object: "target:\(target.name)", requireAdmin: admin)
        return try await detail(request, target: target, test: results[0])
    }

    private static func detail(
        _ request: Request, target: Target, test: ConnectionTestResult? = nil, values: TargetFormView.Values? = nil,
        error: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let groups = try await request.groupService.groups(of: target).map(\.name)
        var model = TargetDetailView.Model(
            target: target, groups: groups, choices: try await choices(request, excluding: target.name), test: test,
            formValues: values, error: error)
        model.recentRuns = try await TargetActivity(database: request.db).recentRuns(
            target.name, limit: TargetDetailView.recentRunLimit)
        if let id = target.id { model.lastCheck = try await TargetCheckStore(database: request.db).latest([id])[id] }
        model.tools = request.services.catalog.catalog.tools.filter {
            $0.platforms.isEmpty || $0.platforms.contains(target.os)
        }.map { (id: $0.id, name: $0.name) }
        return TargetDetailView.render(model, context: try await request.pageContext(.targets)).response(status: status)
    }

    struct RunToolForm: Content {
        var targets: [String]?
        var tool: String?
    }

    /// The targets ticked on a target page and a tool: opens the tool's run form with them selected. Targets the
    /// tool's platforms leave out are named in a message there (the form cannot select them).
    @Sendable static func runTool(_ request: Request) async throws -> Response {
        let form = try request.content.decode(RunToolForm.self)
        let toolID = form.tool ?? ""
        guard let tool = request.services.catalog.catalog.tool(toolID) else {
            throw Abort(.badRequest, reason: "tool: no tool '\(toolID.prefix(80))'")
        }
        var names = [String]()
        for name in form.targets ?? [] where !names.contains(name) { names.append(name) }
        guard !names.isEmpty else {
            return try await request.redirect(to: SitePath.targets, flash: Flash(.error, "Select at least one target."))
        }
        guard names.count <= 5000 else { throw Abort(.badRequest, reason: "targets: at most 5000 at once") }
        let found = try await Target.query(on: request.db).filter(\.$name ~~ names).field(\.$name).field(\.$os).all()
        let known = Set(found.map(\.name))
        let missing = names.filter { !known.contains($0) }
        guard missing.isEmpty else {
            return try await request.redirect(
                to: SitePath.targets,
                flash: Flash(
                    .error,
                    "No such target: \(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? ", …" : "")."))
        }
        let unfit = found.filter { !tool.platforms.isEmpty && !tool.platforms.contains($0.os) }.map(\.name).sorted()
        var components = URLComponents()
        components.path = SitePath.tool(tool.id)
        components.queryItems = [URLQueryItem(name: "targets", value: names.joined(separator: ","))]
        let path = components.string ?? SitePath.tool(tool.id)
        guard unfit.isEmpty else {
            return try await request.redirect(
                to: path,
                flash: Flash(
                    .info,
                    "\(tool.name) runs on \(tool.platforms.joined(separator: "/")) only; not selected: "
                        + "\(unfit.prefix(5).joined(separator: ", "))\(unfit.count > 5 ? ", …" : "")."))
        }
        return request.redirect(to: path, redirectType: .normal)
    }

    private static func choices(_ request: Request, excluding name: String?) async throws -> TargetFormView.Choices {
        let credentials = try await request.credentialService.list().map(\.name)
        let jumpHosts = try await request.targetService.list(TargetFilter(transport: .ssh)).map(\.name).filter {
            $0 != name
        }
        return TargetFormView.Choices(credentials: credentials, jumpHosts: jumpHosts)
    }
}
