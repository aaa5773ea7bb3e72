import ArgumentParser
import Foundation
import OpsCore
import OpsServer

/// `pcm-ops tools list|show`: the catalog, read straight from the tool directories.
struct ToolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tools", abstract: "List and show catalog tools.", subcommands: [List.self, Show.self])

    struct CatalogOptions: ParsableArguments {
        @ArgumentParser.Option(help: "A site's own tools, loaded after the built-in ones (PCMOPS_TOOLS_DIR).")
        var toolsDir: String?

        func load() throws -> Catalog {
            let config = try ServerConfig.load(
                flags: ServerFlags(toolsDirectory: toolsDir), environment: ProcessInfo.processInfo.environment)
            return try PCMOpsApp.makeCatalog(config: config).catalog
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tools with their actions and workflows.")
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var format: OutputOptions

        func run() async throws {
            try await reportingErrors {
                let tools = try catalog.load().tools
                try format.emit(
                    tools.map { ["id": $0.id, "name": $0.name, "category": $0.category] },
                    ["ID", "CATEGORY", "NAME", "ACTIONS"],
                    tools.map {
                        [
                            $0.id, $0.category, $0.name,
                            ($0.actions.map(\.id) + $0.workflows.map { "\($0.id)*" }).joined(separator: ","),
                        ]
                    })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a tool: actions, parameters, workflows, scripts.")
        @Argument var id: String
        @OptionGroup var catalog: CatalogOptions

        func run() async throws {
            try await reportingErrors {
                guard let tool = try catalog.load().tool(id) else { throw CLIError(description: "no tool '\(id)'") }
                print("\(tool.name) (\(tool.id)) — \(tool.category), \(tool.platforms.joined(separator: ", "))")
                print(tool.description)
                for action in tool.actions {
                    var flags = [action.interpreter.rawValue, "timeout \(action.timeout)s"]
                    if action.destructive { flags.append("destructive") }
                    if action.requiresAdmin { flags.append("admin") }
                    print("\n  \(tool.id).\(action.id): \(action.name) [\(flags.joined(separator: ", "))]")
                    for parameter in action.parameters {
                        let rule =
                            parameter.required
                            ? "required" : "default \(parameter.secret ? "***" : parameter.defaultValue ?? "none")"
                        print(
                            "    --param \(parameter.name)=<\(parameter.type.rawValue)>  \(rule)  \(parameter.help ?? "")"
                        )
                    }
                }
                for workflow in tool.workflows {
                    print("\n  \(tool.id).\(workflow.id): \(workflow.name) (workflow)")
                    for step in workflow.steps {
                        print("    - \(step.action) (on failure: \(step.onFailure.rawValue))")
                    }
                }
            }
        }
    }
}
