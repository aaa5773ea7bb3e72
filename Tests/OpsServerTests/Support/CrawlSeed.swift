import Fluent
import Foundation
import OpsCore

@testable import OpsServer

/// The strings a crawl stores in every user-controlled field: hostile ones that try to leave an attribute value
/// or a text node, or benign ones of the same shape for the skeleton to compare against.
struct CrawlStrings: Sendable {
    /// Free text: names, descriptions, output, query parameters.
    var text: String
    /// A login name (no spaces, `@` or `:`).
    var compact: String
    /// A tag value (no `,`, `;` or `=`).
    var tag: String

    static let hostile = CrawlStrings(
        text: #"x" formaction="/evil" data-pwn="1 y'><meta http-equiv=refresh content=0;url=//evil> "#
            + #"<img src=x onerror=alert(1)> &quot;&#34; </textarea></title><b data-pwn-b>x</b>"#,
        compact: #"c"data-pwn-c="1'><b>pwn</b>"#,
        tag: #"t"data-pwn-t '><b>pwn</b><img src onerror>"#)

    static let benign = CrawlStrings(text: "benign words", compact: "benign-login", tag: "benign tag")

    /// Attribute and element names only the hostile strings bring.
    static let markerAttributes: Set<String> = [
        "formaction", "data-pwn", "data-pwn-b", "data-pwn-c", "data-pwn-t", "onerror", "http-equiv",
    ]
    static let markerElements: Set<String> = ["img", "b"]
}

/// Fills every field a user or an outside system controls, through the app's services where they take the
/// strings and straight into the tables where validation (rightly) refuses them, so old rows are covered too.
enum CrawlSeed {
    static let actor = AccountService.Actor(name: "admin", source: .system)
    static let toolID = "crawl-tool"
    static let runIDs = ["r-crawl00001", "r-crawl00002", "r-crawl00003"]
    static let conversationID = UUID(uuidString: "00000000-0000-4000-8000-00000000c0de") ?? UUID()
    /// A job saved through the service, and one written straight into the table.
    static let jobNames = ["crawl-job", "crawl-raw"]

    /// A site catalog directory holding one tool whose every free-text field is `strings.text`.
    static func toolsDirectory(_ strings: CrawlStrings) throws -> String {
        let directory = NSTemporaryDirectory() + "pcmops-crawl-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/" + toolID, withIntermediateDirectories: true)
        let text = "'" + strings.text.replacingOccurrences(of: "'", with: "''") + "'"
        let yaml = """
            id: \(toolID)
            name: \(text)
            description: \(text)
            category: \(text)
            platforms: [linux]
            parameters:
              - name: note
                type: string
                help: \(text)
                default: \(text)
              - name: level
                type: enum
                values: [\(text), plain]
                default: \(text)
                help: \(text)
              - name: code
                type: string
                pattern: '^(?:[^"<>''&]|x)*$'
            actions:
              - id: show
                name: \(text)
                description: \(text)
                interpreter: sh
                script: |
                  # \(strings.text.replacingOccurrences(of: "\n", with: " "))
                  echo "$PARAM_NOTE"
                timeout: 30
            workflows:
              - id: flow
                name: \(text)
                description: \(text)
                steps:
                  - action: show
            """
        try yaml.write(toFile: directory + "/\(toolID)/tool.yml", atomically: true, encoding: .utf8)
        return directory
    }

    static func seed(_ test: TestApp, _ strings: CrawlStrings) async throws {
        let db = test.app.db
        let credentials = CredentialService(database: db, vault: test.app.services.vault, audit: test.audit)
        try await credentials.create(
            name: "deploy", username: strings.compact, secret: .sshPassword("crawl secret"), by: actor)
        let targets = TargetService(database: db, audit: test.audit, allowLocal: false)
        try await targets.create(
            TargetSpec(
                name: "web01", address: "10.1.0.1", credential: "deploy", username: strings.compact,
                tags: ["env": strings.tag, "role": "web"]), by: actor)
        try await targets.create(TargetSpec(name: "db01", address: "10.1.0.2", tags: ["role": "db"]), by: actor)
        // Windows targets: one whose settings were written by something that skipped the rules (a CA bundle
        // is checked when saved), one that trusts any certificate.
        let windows = try await targets.create(
            TargetSpec(name: "win01", address: "10.1.0.3", transport: "winrm"), by: actor)
        windows.tlsCABundle = strings.text
        windows.winrmAuth = strings.compact
        try await windows.save(on: db)
        try await targets.create(
            TargetSpec(name: "win02", address: "10.1.0.4", transport: "winrm", tlsVerify: false), by: actor)
        let groups = GroupService(database: db, audit: test.audit)
        try await groups.create(
            GroupSpec(name: "web", description: strings.text, selector: "env=\(strings.tag)", credential: "deploy"),
            by: actor)
        try await groups.create(GroupSpec(name: "static", description: strings.text, members: ["db01"]), by: actor)
        let admin = try await test.accounts.require("admin")
        _ = try await test.tokens.create(for: admin, name: "benign token", expiresInDays: nil, by: actor)
        // Rows older than the name rules, or written by something that skipped them.
        try await APIToken(
            userID: try admin.requireID(), name: strings.text, tokenHash: UUID().uuidString, prefix: "pcmops_crawl",
            expiresAt: nil
        ).create(on: db)
        let account = AWSAccount()
        account.environment = "com"
        account.accountID = "123456789012"
        account.name = strings.text
        account.roleName = strings.compact
        try await account.create(on: db)
        try await AuditEntry(
            createdAt: test.clock.now(), actor: strings.text, action: strings.text, object: strings.text,
            details: strings.text, sourceAddress: strings.text, source: strings.text
        ).create(on: db)
        let host = KnownHostRecord()
        host.line = strings.text
        host.hosts = strings.text
        host.keyType = strings.text
        host.fingerprint = strings.text
        host.marker = strings.text
        host.source = strings.text
        host.addedBy = strings.text
        try await host.create(on: db)
        try await seedConversation(test, owner: try admin.requireID(), strings)
        for (index, status) in ["running", "failed", strings.text].enumerated() {
            try await seedRun(test, id: runIDs[index], status: status, strings)
        }
        try await seedJobs(test, strings)
    }

    /// A job whose free text is hostile, saved as a user would; one written past the rules (every field hostile, its
    /// tool gone); and a run launched by such a job as a rerun of another, with hostile targets asked for.
    private static func seedJobs(_ test: TestApp, _ strings: CrawlStrings) async throws {
        let service = JobService(database: test.app.db, services: test.app.services, logger: test.app.logger)
        var spec = JobSpec(name: jobNames[0], tool: toolID, action: "show")
        spec.description = strings.text
        spec.parameters = ["note": strings.text, "level": "plain"]
        spec.targets = ["web01"]
        spec.groups = ["web"]
        spec.overridable = [.parameters, .targets, .limits]
        try await service.create(spec, by: .init(actor: actor, role: .admin))
        let raw = Job()
        raw.id = UUID()
        raw.name = jobNames[1]
        raw.jobDescription = strings.text
        raw.tool = strings.text
        raw.action = strings.text
        raw.parametersJSON = JSONValue.object([strings.text: .string(strings.text)]).text
        raw.targetsJSON = JSONValue.array([.string(strings.text)]).text
        raw.groupsJSON = JSONValue.array([.string(strings.text)]).text
        raw.selector = strings.text
        raw.maxConcurrency = strings.text
        raw.maxErrors = strings.text
        raw.overridableJSON = JSONValue.array([.string(strings.text), .string("targets")]).text
        raw.owner = strings.text
        raw.createdBy = strings.text
        raw.updatedBy = strings.text
        raw.version = 1
        raw.createdAt = test.clock.now()
        raw.updatedAt = test.clock.now()
        try await raw.create(on: test.app.db)
        let run = try await Run.query(on: test.app.db).filter(\.$publicID == runIDs[1]).first()
        try await RunOrigin.query(on: test.app.db).filter(\.$id == run?.id ?? UUID())
            .set(\.$jobID, to: raw.id).set(\.$jobName, to: strings.text).set(\.$jobVersion, to: 3)
            .set(\.$rerunOf, to: strings.text)
            .set(
                \.$selectionJSON,
                to: RunSelection(targets: [strings.text], groups: [strings.text], selector: strings.text).json
            )
            .update()
        let third = try await Run.query(on: test.app.db).filter(\.$publicID == runIDs[2]).first()
        try await RunOrigin.query(on: test.app.db).filter(\.$id == third?.id ?? UUID())
            .set(\.$rerunOf, to: runIDs[0]).update()
    }

    /// A run as the engine would have stored it, every free field and its output hostile.
    private static func seedRun(_ test: TestApp, id: String, status: String, _ strings: CrawlStrings) async throws {
        let now = test.clock.now()
        let run = Run()
        run.publicID = id
        run.tool = toolID
        run.action = status == "running" ? "show" : strings.text
        run.parametersJSON = JSONValue.object(["note": .string(strings.text), strings.text: .string("x")]).text
        run.stepsJSON = "[]"
        run.requestedBy = strings.text
        run.source = strings.text
        run.status = status
        run.maxConcurrency = strings.text
        run.maxErrors = strings.text
        run.targetCount = 2
        run.change = strings.text
        run.cancelRequested = false
        run.note = strings.text
        run.createdAt = now.addingTimeInterval(-60)
        run.startedAt = now.addingTimeInterval(-50)
        run.finishedAt = status == "running" ? nil : now.addingTimeInterval(-10)
        try await run.create(on: test.app.db)
        for (index, name) in [strings.text, "web01"].enumerated() {
            for step in 0..<2 {
                let execution = Execution()
                execution.$run.id = try run.requireID()
                execution.targetIndex = index
                execution.targetName = name
                execution.targetAddress = strings.text
                execution.stepIndex = step
                execution.stepAction = strings.text
                execution.status = step == 0 ? "failed" : strings.text
                execution.exitCode = 1
                execution.stdout = strings.text
                execution.stderr = strings.text
                execution.truncated = false
                execution.error = strings.text
                execution.rollbackStatus = strings.text
                execution.attempt = 1
                execution.startedAt = now.addingTimeInterval(-40)
                execution.finishedAt = now.addingTimeInterval(-20)
                try await execution.create(on: test.app.db)
            }
        }
    }

    /// A Conductor conversation as a planner might have answered it, every string hostile: title, messages, the
    /// plan's tool, parameters and targets, a question and its choices, the explanation, a run id.
    private static func seedConversation(_ test: TestApp, owner: UUID, _ strings: CrawlStrings) async throws {
        let conversation = Conversation()
        conversation.id = conversationID
        conversation.ownerID = owner
        conversation.title = strings.text
        conversation.stateJSON = #"{"awaitingConfirmation":[]}"#
        conversation.createdAt = test.clock.now()
        conversation.updatedAt = test.clock.now()
        try await conversation.create(on: test.app.db)
        let text = strings.text
        let answer: [String: Any] = [
            "kind": text, "text": text, "confidence": 0.5,
            "plans": [
                [
                    "tool": text, "action": text, "workflow": NSNull(), "parameters": [text: text],
                    "targets": [text, "web01"], "destructive": true, "platform": text,
                ]
            ],
            "questions": [["field": text, "text": text, "choices": [text]]],
            "explanation": [["words": text, "kind": text, "value": text, "score": 1]],
            "run_id": text, "run_ids": [text],
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: answer), as: UTF8.self)
        for (seq, role) in [(1, "user"), (2, "assistant")] {
            let message = ConversationMessage()
            message.conversationID = conversationID
            message.seq = seq
            message.role = role
            message.text = text
            message.answerJSON = role == "assistant" ? json : nil
            message.runID = role == "assistant" ? text : nil
            message.createdAt = test.clock.now()
            try await message.create(on: test.app.db)
        }
    }
}
