import Foundation
import Testing

@testable import OpsCore

/// Writes tool directories into a temporary folder.
final class ToolsFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "pcmops-tools-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func tool(_ id: String, _ yaml: String, files: [String: String] = [:]) throws -> String {
        let directory = path + "/" + id
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try yaml.write(toFile: directory + "/tool.yml", atomically: true, encoding: .utf8)
        for (name, text) in files { try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
        return directory + "/tool.yml"
    }
}

@Suite("Catalog loading (DESIGN.md §9)")
struct CatalogLoaderTests {
    static let designExample = """
        id: linux-service                 # unique, [a-z0-9-]+
        name: Linux service control
        description: Status, start, stop or restart a systemd unit.
        category: linux                   # groups tools in the UI
        platforms: [linux]                # linux | windows
        parameters:                       # shared by every action unless an action lists its own
          - name: unit                    # [a-z][a-z0-9_]*
            type: string                  # string | int | bool | enum
            required: true
            pattern: '^[A-Za-z0-9@._-]+$' # string only; also max_length, min/max (int), values (enum), default, secret
            help: systemd unit, e.g. nginx.service
        actions:
          - id: status
            name: Status
            interpreter: bash             # bash | sh | powershell
            script_file: status.sh        # or `script: |` inline
            timeout: 60                   # seconds
          - id: restart
            name: Restart
            interpreter: bash
            script_file: restart.sh
            validation_file: is-active.sh # runs after the action; non-zero = step failed
            rollback_file: restore.sh     # runs on this target when its step fails
            requires_admin: true          # sudo -n / elevated session
            destructive: true             # UI and CLI ask for confirmation (--yes)
            idempotent: true              # may be retried automatically after an interruption
        workflows:
          - id: safe-restart
            name: Check, restart, verify
            steps:
              - action: status
              - action: restart
                on_failure: rollback      # stop | continue | rollback
        """

    static let scripts = [
        "status.sh": "systemctl status \"$PARAM_UNIT\"\n", "restart.sh": "systemctl restart \"$PARAM_UNIT\"\n",
        "is-active.sh": "systemctl is-active \"$PARAM_UNIT\"\n", "restore.sh": "systemctl start \"$PARAM_UNIT\"\n",
    ]

    @Test func theDesignExampleLoadsExactly() throws {
        // setup
        let folder = try ToolsFolder()
        try folder.tool("linux-service", Self.designExample, files: Self.scripts)
        // act
        let (tools, errors) = CatalogLoader.load(directories: [folder.path])
        // assert
        #expect(errors.isEmpty, "\(errors)")
        let tool = try #require(tools.first)
        #expect(tool.id == "linux-service" && tool.category == "linux" && tool.platforms == ["linux"])
        #expect(tool.parameters.first?.pattern == "^[A-Za-z0-9@._-]+$")
        let restart = try #require(tool.action("restart"))
        #expect(restart.requiresAdmin && restart.destructive && restart.idempotent)
        #expect(restart.validation?.origin == "is-active.sh")
        #expect(restart.rollback?.text == "systemctl start \"$PARAM_UNIT\"\n")
        #expect(restart.timeout == 300)
        #expect(tool.action("status")?.timeout == 60)
        #expect(restart.parameters.map(\.name) == ["unit"])
        #expect(tool.workflow("safe-restart")?.steps.map(\.onFailure) == [.stop, .rollback])
        let catalog = Catalog(tools: tools)
        #expect(try catalog.resolve("linux-service.safe-restart").get().steps.map(\.0.id) == ["status", "restart"])
        #expect(throws: CatalogLookupError.self) { try catalog.resolve("linux-service.nope").get() }
        #expect(throws: CatalogLookupError.self) { try catalog.resolve("nope.status").get() }
        #expect(throws: CatalogLookupError.self) { try catalog.resolve("no-dot").get() }
    }

    @Test(arguments: [
        ("colour: red\n", "colour", "unknown field"),
        ("", "id", "is required"),
        ("", "actions", "at least one action"),
    ])
    func topLevelProblems(_ extra: String, _ field: String, _ message: String) throws {
        let folder = try ToolsFolder()
        var yaml = "name: T\n" + extra
        if field != "id" { yaml = "id: t\n" + yaml }
        if field != "actions" { yaml += "actions:\n  - id: a\n    script: echo hi\n" }
        let file = try folder.tool("t", yaml)
        let (tools, errors) = CatalogLoader.load(directories: [folder.path])
        #expect(tools.isEmpty)
        let error = try #require(errors.first { $0.field == field })
        #expect(error.file == file)
        #expect(error.message.contains(message))
    }

    @Test(
        arguments: [
            ("    interpreter: zsh\n    script: x\n", "actions[0].interpreter", 5),
            ("    script_file: missing.sh\n", "actions[0].script_file", 5),
            ("    script_file: ../../etc/passwd\n", "actions[0].script_file", 5),
            ("    script: x\n    script_file: a.sh\n", "actions[0].script_file", 6),
            ("    script: x\n    timeout: 0\n", "actions[0].timeout", 6),
            ("    script: x\n    destructive: maybe\n", "actions[0].destructive", 6),
            ("    name: no script\n", "actions[0].script", nil),
        ] as [(String, String, Int?)])
    func actionProblemsNameFileLineAndField(_ body: String, _ field: String, _ line: Int?) throws {
        let folder = try ToolsFolder()
        try folder.tool("t", "id: t\nname: T\nactions:\n  - id: a\n" + body, files: ["a.sh": "echo\n"])
        let (tools, errors) = CatalogLoader.load(directories: [folder.path])
        #expect(tools.isEmpty)
        let error = try #require(errors.first { $0.field == field }, "\(errors)")
        #expect(error.line == line, "\(error)")
        #expect(error.description.contains("tool.yml"))
    }

    @Test(arguments: [
        ("- name: Bad\n  type: string\n", "parameters[0].name", "must match"),
        ("- name: n\n  type: float\n", "parameters[0].type", "float"),
        ("- name: n\n  type: enum\n", "parameters[0].values", "needs a list"),
        ("- name: n\n  type: int\n  min: 5\n  max: 1\n", "parameters[0].min", "above max"),
        ("- name: n\n  type: string\n  pattern: '('\n", "parameters[0].pattern", "regular expression"),
        ("- name: n\n  type: int\n  default: ten\n", "parameters[0].default", "whole number"),
        ("- name: n\n  type: string\n- name: n\n  type: string\n", "parameters[1].name", "twice"),
    ])
    func parameterProblems(_ parameters: String, _ field: String, _ message: String) throws {
        let folder = try ToolsFolder()
        let indented = parameters.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        try folder.tool("t", "id: t\nname: T\nparameters:\n\(indented)\nactions:\n  - id: a\n    script: x\n")
        let (_, errors) = CatalogLoader.load(directories: [folder.path])
        let error = try #require(errors.first { $0.field == field }, "\(errors)")
        #expect(error.message.contains(message), "\(error)")
        #expect(error.line != nil)
    }

    @Test func workflowProblems() throws {
        let folder = try ToolsFolder()
        try folder.tool(
            "t",
            """
            id: t
            name: T
            actions:
              - id: a
                script: x
            workflows:
              - id: w
                steps:
                  - action: ghost
                  - action: a
                    on_failure: rollback
                  - action: a
                    on_failure: retry
            """)
        let (_, errors) = CatalogLoader.load(directories: [folder.path])
        let fields = Set(errors.compactMap(\.field))
        #expect(fields.contains("workflows[0].steps[0].action"))
        #expect(fields.contains("workflows[0].steps[1].on_failure"))
        #expect(fields.contains("workflows[0].steps[2].on_failure"))
    }

    @Test func invalidYAMLNamesTheLine() throws {
        let folder = try ToolsFolder()
        try folder.tool("t", "id: t\nname: T\nactions:\n  - id: a\n\tscript: x\n")
        let (_, errors) = CatalogLoader.load(directories: [folder.path])
        let error = try #require(errors.first)
        #expect(error.message.contains("not valid YAML"))
        #expect(error.line == 5)
    }

    @Test func aToolIdTwiceIsAnErrorNamingBothFiles() throws {
        let builtIn = try ToolsFolder()
        let site = try ToolsFolder()
        let first = try builtIn.tool("t", "id: t\nname: T\nactions:\n  - id: a\n    script: x\n")
        try site.tool("t2", "id: t\nname: T again\nactions:\n  - id: a\n    script: x\n")
        let (tools, errors) = CatalogLoader.load(directories: [builtIn.path, site.path])
        #expect(tools.count == 1)
        #expect(errors.first?.message.contains(first) == true)
    }

    @Test func anActionsOwnParametersReplaceTheShared() throws {
        let folder = try ToolsFolder()
        try folder.tool(
            "t",
            """
            id: t
            name: T
            parameters:
              - name: shared
            actions:
              - id: a
                script: x
              - id: b
                script: y
                parameters:
                  - name: own
                    type: bool
            """)
        let (tools, errors) = CatalogLoader.load(directories: [folder.path])
        #expect(errors.isEmpty)
        #expect(tools.first?.action("a")?.parameters.map(\.name) == ["shared"])
        #expect(tools.first?.action("b")?.parameters.map(\.name) == ["own"])
    }
}
