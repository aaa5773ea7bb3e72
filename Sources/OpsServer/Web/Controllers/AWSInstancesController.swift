import OpsAWS
import Vapor

/// `/aws/instances`: the EC2 instance browser.
enum AWSInstancesController {
    static let pageSize = 50

    struct SelectionForm: Content {
        var selected: [String]?
        var action: String?
        var tool: String?
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        do {
            let query = try queryFromURL(request)
            let searched = request.query[String.self, at: "search"] != nil
            var result = AWSAccess.InstanceSearch()
            var scopes = 0
            if searched {
                let validated = try query.validated()
                result = try await request.awsAccess.search(validated)
                scopes = max(1, validated.accounts.count) * validated.regions.count
            }
            let page = max(0, (request.query[Int.self, at: "page"] ?? 1) - 1)
            return try await render(
                request, query: query, rows: result.rows, errors: result.errors + result.warnings, page: page,
                searched: searched, scopes: (scopes, result.errors.count))
        } catch let error as InventoryServiceError {
            let environment = AWSEnvironment.named(request.query[String.self, at: "environment"] ?? "") ?? .com
            return try await render(
                request, query: EC2InstanceQuery(environment: environment), rows: [], errors: [], page: 0,
                searched: false, error: error.description, status: error.status)
        }
    }

    /// The selection form: sync the selected instances as targets (admin), or open a tool with them selected.
    @Sendable static func selection(_ request: Request) async throws -> Response {
        let form = try request.content.decode(SelectionForm.self)
        let selected = try (form.selected ?? []).map(parseSelection)
        guard !selected.isEmpty else {
            return try await request.redirect(
                to: SitePath.awsInstances, flash: Flash(.error, "Select at least one instance."))
        }
        let access = request.awsAccess
        switch form.action {
        case "sync":
            guard request.principal?.role == .admin else {
                throw Abort(.forbidden, reason: "syncing targets needs admin")
            }
            let report = try await access.syncSelected(selected, targets: request.targetService)
            return try await request.redirect(
                to: SitePath.targets,
                flash: Flash(
                    .success,
                    "Synced \(selected.count) instance(s): \(report.added.count) added, \(report.updated.count) updated, "
                        + "\(report.unchanged.count) unchanged."))
        case "run":
            let tool = form.tool ?? ""
            guard request.services.catalog.catalog.tool(tool) != nil else {
                throw Abort(.badRequest, reason: "tool: no tool '\(tool)'")
            }
            let names = try await access.targetNames(forInstances: selected.map(\.instanceID))
            let missing = selected.map(\.instanceID).filter { names[$0] == nil }
            guard missing.isEmpty else {
                return try await request.redirect(
                    to: SitePath.awsInstances,
                    flash: Flash(
                        .error,
                        "Not targets yet: \(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? ", …" : ""). "
                            + "An admin syncs them first."))
            }
            let list = selected.compactMap { names[$0.instanceID] }.joined(separator: ",")
            var components = URLComponents()
            components.path = SitePath.tool(tool)
            components.queryItems = [URLQueryItem(name: "targets", value: list)]
            return request.redirect(to: components.string ?? SitePath.tool(tool), redirectType: .normal)
        default:
            throw Abort(.badRequest, reason: "action: sync or run")
        }
    }

    /// `environment|account|region|instance-id`, as the checkboxes carry it.
    static func parseSelection(_ text: String) throws -> EC2Selection {
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, let environment = AWSEnvironment.named(parts[0]),
            parts[1].count == 12, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
            environment.contains(region: parts[2]), EC2InstanceQuery.isInstanceID(parts[3])
        else {
            throw Abort(
                .badRequest, reason: "selected: '\(text.prefix(80))' is not environment|account|region|instance")
        }
        return EC2Selection(environment: environment, account: parts[1], region: parts[2], instanceID: parts[3])
    }

    static func queryFromURL(_ request: Request) throws -> EC2InstanceQuery {
        let name = request.query[String.self, at: "environment"] ?? "com"
        guard let environment = AWSEnvironment.named(name) else {
            throw InventoryServiceError.invalid(field: "environment", message: "com or gov, got '\(name)'")
        }
        func list(_ key: String) -> [String] {
            (request.query[[String].self, at: key] ?? request.query[String.self, at: key].map { [$0] } ?? [])
                .flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                .filter { !$0.isEmpty }
        }
        func text(_ key: String) -> String? {
            request.query[String.self, at: key].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap {
                $0.isEmpty ? nil : $0
            }
        }
        return EC2InstanceQuery(
            environment: environment, accounts: list("account"), regions: list("region"), state: text("state"),
            tag: text("tag"), name: text("name"), instanceIDs: list("instance_id"))
    }

    private static func render(
        _ request: Request, query: EC2InstanceQuery, rows: [EC2InstanceRow], errors: [String], page: Int,
        searched: Bool, scopes: (count: Int, failed: Int) = (0, 0), error: String? = nil,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let tools = request.services.catalog.catalog.tools.map { (id: $0.id, name: $0.name) }
        let model = AWSInstancesView.Model(
            query: query, accounts: try await request.awsAccess.accounts(), rows: rows,
            page: min(page, max(0, (rows.count - 1) / pageSize)), pageSize: pageSize, errors: errors, tools: tools,
            searched: searched, scopeCount: scopes.count, failedScopes: scopes.failed)
        return AWSInstancesView.render(model, context: try await request.pageContext(.aws), error: error)
            .response(status: status)
    }
}

/// One instance picked in the browser.
struct EC2Selection: Sendable, Hashable {
    var environment: AWSEnvironment
    var account: String
    var region: String
    var instanceID: String
}
