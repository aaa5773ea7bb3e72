import Foundation

/// The files that ship with the program: `Public/` (CSS, JavaScript), `openapi.yaml` and the built-in `Tools/`.
///
/// SwiftPM puts them in a folder beside the executable (`pcm-ops_OpsServer.resources`), where `swift build`,
/// `swift build -c release` and `scripts/install` leave it; `Bundle.module` also remembers the build folder. A
/// copy of the binary without that folder has no catalog, pages or API document: this finds the folder without
/// `Bundle.module`'s crash, so the program can say what is missing.
enum ProgramResources {
    /// The resource folder's name, as SwiftPM makes it.
    static let bundleName = "pcm-ops_OpsServer.resources"

    /// The resource folder, or nil when it is neither beside the executable nor in the build folder.
    static var directory: URL? {
        let besideBinary = Bundle.main.bundleURL.appendingPathComponent(bundleName)
        if FileManager.default.fileExists(atPath: besideBinary.appendingPathComponent("openapi.yaml").path) {
            return besideBinary
        }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent(bundleName)
        if FileManager.default.fileExists(atPath: executable.appendingPathComponent("openapi.yaml").path) {
            return executable
        }
        return nil
    }
}
