import Vapor

/// `/inventory/credentials`.
enum CredentialsController {
    struct CreateForm: Content {
        var name: String?
        var kind: String?
        var username: String?
        var private_key: String?
        var passphrase: String?
        var password: String?
        var aws_environment: String?
        var session_token: String?
        var domain: String?
        var is_default: String?
    }

    @Sendable static func list(_ request: Request) async throws -> Response {
        try await page(request, error: nil, status: .ok)
    }

    @Sendable static func create(_ request: Request) async throws -> Response {
        let form = try request.content.decode(CreateForm.self)
        do {
            let secret = try CredentialSecret.make(
                kind: form.kind ?? "", privateKey: form.private_key, passphrase: form.passphrase,
                password: form.password, awsEnvironment: form.aws_environment, sessionToken: form.session_token)
            let credential = try await request.credentialService.create(
                name: form.name ?? "", username: form.username ?? "", domain: form.domain, secret: secret,
                isDefault: form.is_default == "true",
                by: request.auditActor)
            return try await request.redirect(
                to: SitePath.credentials, flash: Flash(.success, "Added credential \(credential.name)."))
        } catch let error as InventoryServiceError {
            return try await page(request, error: error.description, status: error.status)
        }
    }

    @Sendable static func delete(_ request: Request) async throws -> Response {
        let name = try request.parameter("name")
        try await request.credentialService.delete(name, by: request.auditActor)
        return try await request.redirect(
            to: SitePath.credentials, flash: Flash(.success, "Deleted credential \(name)."))
    }

    private static func page(_ request: Request, error: String?, status: HTTPResponseStatus) async throws -> Response {
        CredentialsView.render(
            try await request.credentialService.list(), context: try await request.pageContext(.targets), error: error
        ).response(status: status)
    }
}

/// `/inventory/known-hosts`.
enum KnownHostsController {
    struct ImportForm: Content {
        var known_hosts: String?
    }

    @Sendable static func list(_ request: Request) async throws -> Response {
        try await page(request, report: nil, error: nil, status: .ok)
    }

    @Sendable static func importText(_ request: Request) async throws -> Response {
        let text = try request.content.decode(ImportForm.self).known_hosts ?? ""
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return try await page(
                request, report: nil, error: "Paste at least one known_hosts line.", status: .badRequest)
        }
        do {
            let report = try await request.knownHostsService.importText(text, source: "ui", by: request.auditActor)
            return try await page(request, report: report, error: nil, status: .ok)
        } catch let error as InventoryServiceError {
            return try await page(request, report: nil, error: error.description, status: error.status)
        }
    }

    @Sendable static func delete(_ request: Request) async throws -> Response {
        try await request.knownHostsService.delete(id: try request.uuidParameter("id"), by: request.auditActor)
        return try await request.redirect(to: SitePath.knownHosts, flash: Flash(.success, "Removed the host key."))
    }

    private static func page(
        _ request: Request, report: KnownHostsImportReport?, error: String?, status: HTTPResponseStatus
    ) async throws -> Response {
        KnownHostsView.render(
            try await request.knownHostsService.list(), context: try await request.pageContext(.targets),
            report: report,
            error: error
        ).response(status: status)
    }
}

/// `/inventory/import`.
enum InventoryImportController {
    struct UploadForm: Content {
        var file: File?
        var format: String?
        var dry_run: String?
        var default_user: String?
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        InventoryImportView.render(report: nil, context: try await request.pageContext(.targets), error: nil).response()
    }

    @Sendable static func submit(_ request: Request) async throws -> Response {
        let context = try await request.pageContext(.targets)
        let form: UploadForm
        do {
            form = try request.content.decode(UploadForm.self)
        } catch {
            return InventoryImportView.render(
                report: nil, context: context, error: "Choose an inventory file to upload."
            )
            .response(status: .badRequest)
        }
        guard let file = form.file, file.data.readableBytes > 0,
            let text = file.data.getString(at: file.data.readerIndex, length: file.data.readableBytes)
        else {
            return InventoryImportView.render(
                report: nil, context: context, error: "Choose an inventory file to upload."
            )
            .response(status: .badRequest)
        }
        let format = form.format.flatMap { InventoryImporter.Format(rawValue: $0) }
        do {
            let defaultUser = form.default_user.flatMap { $0.isEmpty ? nil : $0 }
            let report = try await request.inventoryImporter.importText(
                text, fileName: file.filename, format: format, dryRun: form.dry_run == "true", defaultUser: defaultUser,
                by: request.auditActor)
            return InventoryImportView.render(report: report, context: context, error: nil).response()
        } catch let error as InventoryServiceError {
            return InventoryImportView.render(report: nil, context: context, error: error.description).response(
                status: error.status)
        }
    }
}
