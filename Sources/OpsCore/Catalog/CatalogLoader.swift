import Foundation
import Yams

/// Loads tools from directories laid out as DESIGN.md §9 says: `DIR/<id>/tool.yml`, scripts beside it.
///
/// Every problem is reported with its file, line and field; a tool with any problem is not loaded.
public enum CatalogLoader {
    static var idPattern: Regex<Substring> { /^[a-z0-9][a-z0-9-]*$/ }
    static var parameterNamePattern: Regex<Substring> { /^[a-z][a-z0-9_]*$/ }
    /// Largest script file read, to keep a mistaken binary out of the catalog.
    static let maxScriptBytes = 1 << 20

    /// Tools from every directory, in order; an id defined twice is an error naming both files.
    public static func load(directories: [String]) -> (tools: [ToolDefinition], errors: [CatalogError]) {
        var tools = [ToolDefinition]()
        var errors = [CatalogError]()
        var seen = [String: String]()
        for directory in directories {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
                errors.append(
                    CatalogError(file: directory, line: nil, field: nil, message: "cannot read the tools directory"))
                continue
            }
            for entry in entries.sorted() {
                let file = (directory as NSString).appendingPathComponent(entry + "/tool.yml")
                guard FileManager.default.fileExists(atPath: file) else { continue }
                let (tool, toolErrors) = loadTool(file: file)
                errors += toolErrors
                guard let tool else { continue }
                if let other = seen[tool.id] {
                    errors.append(
                        CatalogError(
                            file: file, line: nil, field: "id",
                            message: "tool id '\(tool.id)' is also defined in \(other)"))
                    continue
                }
                seen[tool.id] = file
                tools.append(tool)
            }
        }
        return (tools.sorted { $0.id < $1.id }, errors)
    }

    /// One tool file.
    public static func loadTool(file: String) -> (ToolDefinition?, [CatalogError]) {
        var reader = CatalogFileReader(file: file)
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            reader.fail(nil, nil, "cannot read the file as UTF-8")
            return (nil, reader.errors)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            reader.errors.append(
                CatalogError(file: file, line: Self.line(of: error), field: nil, message: "not valid YAML: \(error)"))
            return (nil, reader.errors)
        } catch {
            reader.fail(nil, nil, "not valid YAML")
            return (nil, reader.errors)
        }
        guard let root, case .mapping(let top) = root else {
            reader.fail(root, nil, "the file must be a mapping with id, name, actions…")
            return (nil, reader.errors)
        }
        let directory = (file as NSString).deletingLastPathComponent
        var parser = ToolParser(reader: reader, directory: directory, file: file)
        return parser.parse(top)
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _): mark.line
        default: nil
        }
    }
}
