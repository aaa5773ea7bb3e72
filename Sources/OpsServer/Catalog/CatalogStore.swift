import Foundation
import NIOConcurrencyHelpers
import OpsCore

/// The catalog the server runs from: built-in tools plus the site's `--tools-dir`, loaded at start and
/// replaced whole by an admin's reload. A reload that finds problems keeps the previous catalog.
public final class CatalogStore: Sendable {
    public let directories: [String]
    private let current: NIOLockedValueBox<Catalog>

    /// Loads `directories`; throws ``CatalogLoadError`` listing every problem.
    public init(directories: [String]) throws {
        self.directories = directories
        let (tools, errors) = CatalogLoader.load(directories: directories)
        guard errors.isEmpty else { throw CatalogLoadError(errors: errors) }
        current = NIOLockedValueBox(Catalog(tools: tools))
    }

    public var catalog: Catalog { current.withLockedValue { $0 } }

    /// Loads the directories again; on success the new catalog replaces the old one.
    @discardableResult
    public func reload() throws -> Catalog {
        let (tools, errors) = CatalogLoader.load(directories: directories)
        guard errors.isEmpty else { throw CatalogLoadError(errors: errors) }
        let catalog = Catalog(tools: tools)
        current.withLockedValue { $0 = catalog }
        return catalog
    }

    /// The built-in `Tools/` directory: `PCMOPS_BUILTIN_TOOLS_DIR`, else `./Tools`, else the `Tools/`
    /// of the checkout the executable was built in.
    public static func builtInDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String?
    {
        if let explicit = environment["PCMOPS_BUILTIN_TOOLS_DIR"], !explicit.isEmpty { return explicit }
        var candidates = [FileManager.default.currentDirectoryPath + "/Tools"]
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(directory.appendingPathComponent("Tools").path)
            directory.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/system/tool.yml") }
    }
}

/// The catalog has problems; every one names its file, line and field.
public struct CatalogLoadError: Error, Sendable, CustomStringConvertible {
    public let errors: [CatalogError]

    public var description: String {
        "the tool catalog has \(errors.count) problem(s):\n"
            + errors.map { "  " + $0.description }.joined(separator: "\n")
    }
}
