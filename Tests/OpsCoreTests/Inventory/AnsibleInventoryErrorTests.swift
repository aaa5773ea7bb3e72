import Testing

@testable import OpsCore

@Suite("Ansible inventories that cannot be read")
struct AnsibleInventoryErrorTests {
    /// The error thrown by `body`, failing the test when nothing or something else is thrown.
    private func error(_ body: () throws -> ParsedInventory) -> InventoryError? {
        do {
            _ = try body()
            Issue.record("expected an InventoryError")
            return nil
        } catch let error as InventoryError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func tabIndentationIsMalformedYAMLOnItsLine() {
        // setup
        let text = "all:\n  hosts:\n\tweb1:\n"

        // act
        let thrown = error { try AnsibleInventoryParser.parseYAML(text) }

        // assert
        guard case .malformedYAML(let line, let problem) = thrown else {
            Issue.record("got \(String(describing: thrown))")
            return
        }
        #expect(line == 3)
        #expect(problem.contains("cannot start any token"))
    }

    @Test func unclosedQuoteIsMalformedYAMLWithoutEchoingTheValue() {
        // setup
        let text = """
            all:
              hosts:
                db1:
                  ansible_password: "hunter2-never-shown
                db2:
            """

        // act
        let thrown = error { try AnsibleInventoryParser.parseYAML(text) }

        // assert
        guard case .malformedYAML(let line, let problem) = thrown else {
            Issue.record("got \(String(describing: thrown))")
            return
        }
        #expect(line >= 4)
        #expect(problem.contains("quoted scalar"))
        #expect(thrown?.description.contains("hunter2") == false)
    }

    @Test(arguments: ["- web1\n- web2\n", "just a sentence\n", "42\n"])
    func topLevelMustBeAMapping(_ text: String) {
        let thrown = error { try AnsibleInventoryParser.parseYAML(text) }
        #expect(
            thrown
                == .unexpectedStructure(
                    line: 1, problem: "the top level must be a mapping of group names, such as 'all:'"))
    }

    @Test func childrenCycleIsRefusedWithThePath() {
        // setup
        let text = """
            all:
              children:
                a:
                  children:
                    b:
                      children:
                        c:
                c:
                  children:
                    a:
            """

        // act
        let thrown = error { try AnsibleInventoryParser.parseYAML(text) }

        // assert
        #expect(thrown == .childrenCycle(line: 10, cycle: ["a", "b", "c", "a"]))
        #expect(thrown?.description == "line 10: groups contain each other through children: a -> b -> c -> a")
    }

    @Test func groupContainingAllIsACycle() {
        let thrown = error { try AnsibleInventoryParser.parseYAML("web:\n  children:\n    all:\n") }
        #expect(thrown == .childrenCycle(line: 3, cycle: ["all", "web", "all"]))
    }

    @Test func groupContainingItselfIsACycle() {
        let thrown = error { try AnsibleInventoryParser.parseINI("[ungrouped:children]\nungrouped\n") }
        #expect(thrown == .childrenCycle(line: 2, cycle: ["ungrouped", "ungrouped"]))
    }

    @Test func duplicateKeysAreMalformedYAML() {
        let thrown = error { try AnsibleInventoryParser.parseYAML("all:\n  hosts:\n    web1:\n    web1:\n") }
        guard case .malformedYAML(_, let problem) = thrown else {
            Issue.record("got \(String(describing: thrown))")
            return
        }
        #expect(problem.contains("'web1'"))
    }

    @Test func iniCycleIsRefused() {
        // setup
        let text = "[a:children]\nb\n\n[b:children]\na\n"

        // act
        let thrown = error { try AnsibleInventoryParser.parseINI(text) }

        // assert
        #expect(thrown == .childrenCycle(line: 5, cycle: ["a", "b", "a"]))
    }

    @Test(arguments: [
        ("[web:hosts]\nweb1\n", 1),
        ("[web\nweb1\n", 1),
        ("[web]\nweb1\n[web:vars]\nnot an assignment\n", 4),
        ("[web:children]\napp db\n", 2),
    ])
    func malformedINILinesAreRefusedWithTheirLine(_ text: String, line: Int) {
        let thrown = error { try AnsibleInventoryParser.parseINI(text) }
        guard case .malformedINI(let reported, _) = thrown else {
            Issue.record("got \(String(describing: thrown))")
            return
        }
        #expect(reported == line)
    }

    @Test func invalidGroupNameIsRefused() {
        let thrown = error { try AnsibleInventoryParser.parseINI("[web servers]\nweb1\n") }
        #expect(thrown == .invalidGroupName(line: 1, name: "web servers"))
    }
}
