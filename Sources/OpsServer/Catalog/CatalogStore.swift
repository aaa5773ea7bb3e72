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

    /// The built-in `Tools/` directory: `PCMOPS_BUILTIN_TOOLS_DIR`, else the copy shipped with the program.
    public static func builtInDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String?
    {
        if let explicit = environment["PCMOPS_BUILTIN_TOOLS_DIR"], !explicit.isEmpty { return explicit }
        // Shipped with the program as a resource (beside the binary, as `swift build` and scripts/install leave
        // it), so an installed or copied binary run from any directory finds it. Never the working directory:
        // a `Tools/` folder wherever the program happens to start must not become the built-in catalog.
        guard let bundled = ProgramResources.directory?.appendingPathComponent("Tools").path,
            FileManager.default.fileExists(atPath: bundled + "/system/tool.yml")
        else { return nil }
        return bundled
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
