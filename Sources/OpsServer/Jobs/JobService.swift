import Fluent
import Foundation
import Logging
import OpsCore

/// Saved jobs (issue 16.3): list, show, create, change and delete them, each change audited, and run them
/// (``JobService+Run.swift``). Operators create jobs; a job's owner and admins change or delete it.
public struct JobService: Sendable {
    let database: any Database
    let services: AppServices
    let logger: Logger
    /// The browser session that runs a job, whose AWS keys SSM targets then use (as for any run).
    var awsSessionID: UUID?

    public init(database: any Database, services: AppServices, logger: Logger, awsSessionID: UUID? = nil) {
        self.database = database
        self.services = services
        self.logger = logger
        self.awsSessionID = awsSessionID
    }

    /// Who acts on a job: what the audit log records, and the role that decides what they may change.
    public struct Editor: Sendable {
        public var actor: AccountService.Actor
        public var role: Role

        public init(actor: AccountService.Actor, role: Role) {
            self.actor = actor
            self.role = role
        }

        var name: String { actor.name ?? "system" }
    }

    var catalog: Catalog { services.catalog.catalog }

    var audit: AuditLog {
        AuditLog(database: database, now: { [clock = services.clock] in clock.now() }, logger: logger)
    }

    // MARK: reading

    /// Every job by name, each with its problems against the catalog and inventory of now.
    public func list() async throws -> [JobDTO] {
        let jobs = try await Job.query(on: database).sort(\.$name).all()
        let inventory = try await InventoryNames.load(
            targets: jobs.flatMap(\.targets), groups: jobs.flatMap(\.groups), on: database)
        return jobs.map { dto($0, inventory: inventory) }
    }

    public func find(_ name: String) async throws -> Job? {
        try await Job.query(on: database).filter(\.$name == name).first()
    }

    public func require(_ name: String) async throws -> Job {
        guard let job = try await find(name) else { throw JobError.notFound(name) }
        return job
    }

    public func show(_ name: String) async throws -> JobDTO {
        try await dto(require(name))
    }

    func dto(_ job: Job) async throws -> JobDTO {
        dto(job, inventory: try await InventoryNames.load(targets: job.targets, groups: job.groups, on: database))
    }

    func dto(_ job: Job, inventory: InventoryNames) -> JobDTO {
        var problems = [String]()
        var secrets = [String: String]()
        do {
            secrets = try job.secrets(services.vault)
        } catch {
            problems.append("parameters: the stored secret values cannot be opened (\(error)); enter them again")
        }
        let definition = job.definition(secrets: secrets)
        problems += JobCheck.issues(definition, catalog: catalog, inventory: inventory).map(\.description)
        let specs = (try? JobCheck.selection(definition, in: catalog).get()).map(JobCheck.specs) ?? []
        var shown = job.parameters
        for name in secrets.keys { shown[name] = JobSpec.keptSecret }
        return JobDTO(
            id: job.id?.uuidString.lowercased() ?? "", name: job.name, description: job.jobDescription, tool: job.tool,
            action: job.action, workflow: job.workflow, parameters: shown, targets: job.targets, groups: job.groups,
            selector: job.selector, maxConcurrency: job.maxConcurrency, maxErrors: job.maxErrors,
            overridable: job.overridable.sorted().map(\.rawValue),
            prompts: JobCheck.prompts(definition.parameters, specs: specs).map(\.name), owner: job.owner,
            createdBy: job.createdBy, updatedBy: job.updatedBy, version: job.version, createdAt: job.createdAt,
            updatedAt: job.updatedAt, problems: problems)
    }

    /// Whether `editor` may change or delete `job`: its owner, or an admin.
    public static func mayEdit(_ job: JobDTO, by username: String?, role: Role?) -> Bool {
        role == .admin || (role?.allows(.operator) == true && username == job.owner)
    }

    // MARK: changing

    @discardableResult
    public func create(_ spec: JobSpec, by editor: Editor) async throws -> Job {
        let name = try JobName.validate(spec.name)
        let content = try await checked(
            JobDefinition(
                tool: spec.tool, action: spec.action, workflow: spec.workflow, parameters: spec.parameters,
                targets: Self.unique(spec.targets), groups: Self.unique(spec.groups),
                selector: Self.blankless(spec.selector),
                maxConcurrency: Self.blankless(spec.maxConcurrency), maxErrors: Self.blankless(spec.maxErrors)),
            overridable: spec.overridable, creating: true)
        let description = try Self.description(spec.description)
        guard try await find(name) == nil else { throw JobError.duplicate(name) }
        let now = services.clock.now()
        let job = Job()
        job.id = UUID()
        job.name = name
        job.jobDescription = description
        job.owner = editor.name
        job.createdBy = editor.name
        job.version = 1
        job.createdAt = now
        try apply(content, overridable: spec.overridable, to: job)
        job.updatedBy = editor.name
        job.updatedAt = now
        do {
            try await database.transaction { database in
                try await job.create(on: database)
                try await audit.on(database).record(
                    "job.create", actor: editor.actor.name, object: "job:\(name)",
                    details: ["tool": content.reference, "version": "1", "overridable": job.overridableJSON],
                    source: editor.actor.source, sourceAddress: editor.actor.address)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw JobError.duplicate(name)
        }
        return job
    }

    @discardableResult
    public func update(_ name: String, _ patch: JobPatch, by editor: Editor) async throws -> Job {
        let job = try await require(name)
        guard editor.role == .admin || job.owner == editor.name else {
            throw JobError.notEditable(job: job.name, owner: job.owner)
        }
        if let given = patch.version, given != job.version {
            throw JobError.versionConflict(job: job.name, given: given, current: job.version)
        }
        let stored = (try? job.secrets(services.vault)) ?? [:]
        var definition = job.definition(secrets: stored)
        var changed = [String]()
        func change<T: Equatable>(_ field: String, _ old: T, _ new: T?) -> T {
            guard let new, new != old else { return old }
            changed.append(field)
            return new
        }
        let newName = try patch.name.map(JobName.validate) ?? job.name
        if newName != job.name {
            guard try await find(newName) == nil else { throw JobError.duplicate(newName) }
            changed.append("name")
        }
        let description = try patch.description.map(Self.description) ?? job.jobDescription
        if description != job.jobDescription { changed.append("description") }
        if patch.action != nil && patch.workflow != nil {
            throw JobError.invalid(field: "action", message: "give exactly one of action or workflow")
        }
        definition.tool = change("tool", definition.tool, patch.tool)
        if let action = patch.action {
            if definition.action != action { changed.append("action") }
            definition.action = action
            definition.workflow = nil
        } else if let workflow = patch.workflow {
            if definition.workflow != workflow { changed.append("workflow") }
            definition.workflow = workflow
            definition.action = nil
        }
        if let given = patch.parameters {
            let values = try Self.keepingSecrets(given, stored: stored)
            definition.parameters = change("parameters", definition.parameters, values)
        }
        definition.targets = change("targets", definition.targets, patch.targets.map(Self.unique))
        definition.groups = change("groups", definition.groups, patch.groups.map(Self.unique))
        if let selector = patch.selector {
            definition.selector = change("selector", definition.selector, Self.blankless(selector))
        }
        if let value = patch.maxConcurrency {
            definition.maxConcurrency = change("max_concurrency", definition.maxConcurrency, Self.blankless(value))
        }
        if let value = patch.maxErrors {
            definition.maxErrors = change("max_errors", definition.maxErrors, Self.blankless(value))
        }
        let overridable = change("overridable", job.overridable, patch.overridable)
        let owner = try await newOwner(patch.owner, of: job, by: editor)
        if owner != job.owner { changed.append("owner") }
        guard !changed.isEmpty else { return job }
        let content = try await checked(definition, overridable: overridable, creating: false)
        let oldName = job.name
        job.name = newName
        job.jobDescription = description
        job.owner = owner
        try apply(content, overridable: overridable, to: job)
        job.version += 1
        job.updatedBy = editor.name
        job.updatedAt = services.clock.now()
        var details = ["fields": changed.joined(separator: ","), "version": String(job.version)]
        if newName != oldName { details["renamed_from"] = oldName }
        let auditDetails = details
        do {
            try await database.transaction { database in
                try await job.save(on: database)
                try await audit.on(database).record(
                    "job.update", actor: editor.actor.name, object: "job:\(newName)", details: auditDetails,
                    source: editor.actor.source, sourceAddress: editor.actor.address)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw JobError.duplicate(newName)
        }
        return job
    }

    public func delete(_ name: String, by editor: Editor) async throws {
        let job = try await require(name)
        guard editor.role == .admin || job.owner == editor.name else {
            throw JobError.notEditable(job: job.name, owner: job.owner)
        }
        try await database.transaction { database in
            try await job.delete(on: database)
            try await audit.on(database).record(
                "job.delete", actor: editor.actor.name, object: "job:\(name)",
                details: ["tool": "\(job.tool).\(job.action ?? job.workflow ?? "")", "version": String(job.version)],
                source: editor.actor.source, sourceAddress: editor.actor.address)
        }
    }

    // MARK: rules

    /// A checked definition, its values normalised and split into plain and secret ones.
    struct Content {
        var definition: JobDefinition
        var plain: [String: String]
        var secret: [String: String]
        var reference: String { "\(definition.tool).\(definition.action ?? definition.workflow ?? "")" }
    }

    /// Refuses the first issue (catalog, values, names that do not exist, limits), naming its field; a job that
    /// leaves its targets to no one is refused too. A name that does not exist is a 404 for a new job and a 422 for
    /// a change (whose path's 404 is for the job itself).
    func checked(_ definition: JobDefinition, overridable: Set<JobOverride>, creating: Bool) async throws -> Content {
        func refusal(_ issue: JobCheck.Issue) -> JobError {
            guard issue.missing else { return .invalid(field: issue.field, message: issue.message) }
            return creating
                ? .unknown(field: issue.field, message: issue.message)
                : .unusable(field: issue.field, message: issue.message)
        }
        var definition = definition
        let selection = try JobCheck.selection(definition, in: catalog).mapError(refusal).get()
        let specs = JobCheck.specs(of: selection)
        definition.parameters = JobCheck.normalised(definition.parameters, specs: specs)
        let inventory = try await InventoryNames.load(
            targets: definition.targets, groups: definition.groups, on: database)
        if let issue = JobCheck.issues(definition, catalog: catalog, inventory: inventory).first {
            throw refusal(issue)
        }
        if definition.targets.isEmpty && definition.groups.isEmpty && definition.selector == nil
            && !overridable.contains(.targets)
        {
            throw JobError.invalid(
                field: "targets",
                message: "name targets, groups or a selector, or let runners choose them (overridable: targets)")
        }
        let secretNames = Set(specs.filter(\.secret).map(\.name))
        return Content(
            definition: definition, plain: definition.parameters.filter { !secretNames.contains($0.key) },
            secret: definition.parameters.filter { secretNames.contains($0.key) })
    }

    /// Writes checked content on `job`, sealing its secret values.
    private func apply(_ content: Content, overridable: Set<JobOverride>, to job: Job) throws {
        let definition = content.definition
        job.tool = definition.tool
        job.action = definition.action
        job.workflow = definition.workflow
        job.parameters = content.plain
        try job.setSecrets(content.secret, services.vault)
        job.targets = definition.targets
        job.groups = definition.groups
        job.selector = definition.selector
        job.maxConcurrency = definition.maxConcurrency
        job.maxErrors = definition.maxErrors
        job.overridable = overridable
    }

    /// `***` for a stored secret keeps it.
    static func keepingSecrets(_ given: [String: String], stored: [String: String]) throws -> [String: String] {
        var values = given
        for (name, value) in given where value == JobSpec.keptSecret {
            guard let kept = stored[name] else {
                throw JobError.invalid(
                    field: "parameters.\(name)",
                    message: "'\(JobSpec.keptSecret)' keeps a stored secret value, and the job stores none for it")
            }
            values[name] = kept
        }
        return values
    }

    private func newOwner(_ given: String?, of job: Job, by editor: Editor) async throws -> String {
        guard let given, given != job.owner else { return job.owner }
        guard editor.role == .admin else {
            throw JobError.invalid(field: "owner", message: "only an admin may hand a job to another user")
        }
        guard let user = try await User.query(on: database).filter(\.$username == given).first() else {
            throw JobError.invalid(field: "owner", message: "no user named '\(given)'")
        }
        guard user.role.allows(.operator), !user.disabled else {
            throw JobError.invalid(
                field: "owner", message: "'\(given)' cannot own a job: an owner must be an active operator or admin")
        }
        return user.username
    }

    static func description(_ text: String) throws -> String {
        guard text.unicodeScalars.count <= 2000 else {
            throw JobError.invalid(field: "description", message: "must be at most 2000 characters")
        }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" }) else {
            throw JobError.invalid(field: "description", message: "must not contain control characters")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    static func blankless(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
