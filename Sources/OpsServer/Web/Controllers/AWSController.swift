import OpsAWS
import Vapor

/// `/aws`: environment status, session keys, accounts.
enum AWSController {
    struct KeysForm: Content {
        var access_key_id: String?
        var secret_access_key: String?
        var session_token: String?
    }

    struct AccountForm: Content {
        var environment: String?
        var account_id: String?
        var name: String?
        var role_name: String?
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        try await page(request, error: nil, status: .ok)
    }

    @Sendable static func enterKeys(_ request: Request) async throws -> Response {
        let environment = try environmentParameter(request)
        let form = try request.content.decode(KeysForm.self)
        do {
            let keys = try await request.awsAccess.enterKeys(
                environment, accessKeyID: form.access_key_id ?? "", secret: form.secret_access_key ?? "",
                token: form.session_token)
            return try await request.redirect(
                to: SitePath.aws,
                flash: Flash(
                    .success, "\(environment.name.uppercased()) keys work: account \(keys.account), \(keys.arn)."))
        } catch let error as InventoryServiceError {
            return try await page(request, error: error.description, status: error.status)
        } catch let error as AWSError {
            return try await page(
                request, error: "\(environment.name.uppercased()) keys refused: \(error.description)",
                status: .badRequest)
        }
    }

    @Sendable static func refresh(_ request: Request) async throws -> Response {
        let environment = try environmentParameter(request)
        let access = request.awsAccess
        if var keys = try await access.sessionKeys().environments[environment.name] {
            do {
                keys = try await access.enterKeys(
                    environment, accessKeyID: keys.accessKeyID, secret: keys.secretAccessKey, token: keys.sessionToken)
            } catch let error as AWSError {
                return try await page(
                    request, error: "\(environment.name.uppercased()) keys no longer work: \(error.description)",
                    status: .ok)
            }
        }
        let status = try await access.status(environment, refresh: true)
        let text =
            status.state == .connected
            ? "checked: account \(status.account ?? "")" : "checked: \(status.state.rawValue)"
        return try await request.redirect(
            to: SitePath.aws,
            flash: Flash(status.state == .connected ? .success : .error, "\(environment.name.uppercased()) \(text)."))
    }

    @Sendable static func clear(_ request: Request) async throws -> Response {
        let environment = try environmentParameter(request)
        try await request.awsAccess.clearKeys(environment)
        return try await request.redirect(
            to: SitePath.aws,
            flash: Flash(.success, "Cleared the \(environment.name.uppercased()) keys of this session."))
    }

    @Sendable static func addAccount(_ request: Request) async throws -> Response {
        let form = try request.content.decode(AccountForm.self)
        do {
            guard let environment = AWSEnvironment.named(form.environment ?? "") else {
                throw InventoryServiceError.invalid(field: "environment", message: "com or gov")
            }
            let account = try await request.awsAccess.addAccount(
                environment, accountID: form.account_id ?? "", name: form.name ?? "", roleName: form.role_name)
            return try await request.redirect(
                to: SitePath.aws, flash: Flash(.success, "Added account \(account.name) (\(account.accountID))."))
        } catch let error as InventoryServiceError {
            return try await page(request, error: error.description, status: error.status)
        }
    }

    @Sendable static func importAccounts(_ request: Request) async throws -> Response {
        let form = try request.content.decode(AccountForm.self)
        do {
            guard let environment = AWSEnvironment.named(form.environment ?? "") else {
                throw InventoryServiceError.invalid(field: "environment", message: "com or gov")
            }
            let added = try await request.awsAccess.importAccounts(environment, roleName: form.role_name)
            return try await request.redirect(
                to: SitePath.aws,
                flash: Flash(.success, "Imported \(added.count) account(s) from AWS Organizations."))
        } catch let error as InventoryServiceError {
            return try await page(request, error: error.description, status: error.status)
        } catch let error as AWSError {
            return try await page(
                request, error: "Organizations ListAccounts failed: \(error.description)", status: .badRequest)
        }
    }

    @Sendable static func removeAccount(_ request: Request) async throws -> Response {
        let environment = try environmentParameter(request)
        let account = try request.parameter("account")
        try await request.awsAccess.removeAccount(environment, accountID: account)
        return try await request.redirect(to: SitePath.aws, flash: Flash(.success, "Removed account \(account)."))
    }

    static func environmentParameter(_ request: Request) throws -> AWSEnvironment {
        let name = try request.parameter("environment")
        guard let environment = AWSEnvironment.named(name) else {
            throw Abort(.notFound, reason: "no AWS environment '\(name)': use com or gov")
        }
        return environment
    }

    private static func page(_ request: Request, error: String?, status: HTTPResponseStatus) async throws -> Response {
        let access = request.awsAccess
        var statuses: [AWSEnvironmentStatus] = []
        for environment in AWSEnvironment.all { statuses.append(try await access.status(environment)) }
        return AWSView.render(
            statuses, accounts: try await access.accounts(), context: try await request.pageContext(.aws), error: error
        ).response(status: status)
    }
}
