import Foundation
import Testing

@testable import OpsCore

@Suite("script_file stays inside the tool's directory")
struct ScriptFileLinkTests {
    static let yaml = "id: t\nname: T\nactions:\n  - id: a\n    script_file: script.sh\n"

    @Test func aLinkToAFileOutsideIsRefusedAndNothingIsRead() throws {
        // setup: script.sh is a link to a server file
        let folder = try ToolsFolder()
        let secret = folder.path + "/outside-secret.txt"
        try "server secret\n".write(toFile: secret, atomically: true, encoding: .utf8)
        let directory = ((try folder.tool("t", Self.yaml)) as NSString).deletingLastPathComponent
        try FileManager.default.createSymbolicLink(atPath: directory + "/script.sh", withDestinationPath: secret)
        // act
        let (tools, errors) = CatalogLoader.load(directories: [folder.path])
        // assert
        #expect(tools.isEmpty)
        let error = try #require(errors.first { $0.field == "actions[0].script_file" }, "\(errors)")
        #expect(error.description.contains("inside the tool's directory"))
        #expect(!error.description.contains("server secret"))
    }

    @Test func aLinkedFolderThatLeadsOutsideIsRefused() throws {
        // setup: lib/ is a link to a folder outside the tool
        let folder = try ToolsFolder()
        let outside = folder.path + "/elsewhere"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "echo outside\n".write(toFile: outside + "/script.sh", atomically: true, encoding: .utf8)
        let directory =
            ((try folder.tool("t", Self.yaml.replacingOccurrences(of: "script.sh", with: "lib/script.sh")))
            as NSString).deletingLastPathComponent
        try FileManager.default.createSymbolicLink(atPath: directory + "/lib", withDestinationPath: outside)
        // act
        let (tools, errors) = CatalogLoader.load(directories: [folder.path])
        // assert
        #expect(tools.isEmpty)
        #expect(errors.contains { $0.field == "actions[0].script_file" }, "\(errors)")
    }

    @Test func aLinkThatStaysInsideAndAFolderThatIsNotAFileAreHandled() throws {
        // setup: script.sh links to a file in the same tool (fine); a second tool names a folder (refused)
        let folder = try ToolsFolder()
        let directory = ((try folder.tool("t", Self.yaml, files: ["real.sh": "echo inside\n"])) as NSString)
            .deletingLastPathComponent
        try FileManager.default.createSymbolicLink(atPath: directory + "/script.sh", withDestinationPath: "real.sh")
        let other = ((try folder.tool("u", Self.yaml.replacingOccurrences(of: "id: t", with: "id: u"))) as NSString)
            .deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: other + "/script.sh", withIntermediateDirectories: true)
        // act
        let (tools, errors) = CatalogLoader.load(directories: [folder.path])
        // assert
        #expect(tools.map(\.id) == ["t"])
        #expect(tools.first?.actions.first?.script.text == "echo inside\n")
        #expect(errors.contains { $0.field == "actions[0].script_file" && $0.description.contains("regular file") })
    }
}
