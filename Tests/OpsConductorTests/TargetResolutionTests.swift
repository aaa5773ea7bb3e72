import OpsCore
import Testing

@testable import OpsConductor

@Suite("Conductor target resolution")
struct TargetResolutionTests {
    let world: ConductorWorld

    init() throws { world = try ConductorWorld() }

    private func targets(_ text: String) -> [String] {
        world.plan(text).plans.flatMap(\.targets).sorted()
    }

    @Test func groupNamesAndTheWordsThatTellThemApart() {
        #expect(targets("restart Spooler on CIS servers") == world.members("cis-servers"))
        #expect(targets("restart Spooler on cis-servers") == world.members("cis-servers"))
        #expect(targets("restart nginx on group=web-servers") == world.members("web-servers"))
        #expect(targets("patch prep on patch wave 1") == world.members("patch-wave-1"))
    }

    @Test func groupDescriptions() {
        #expect(targets("restart nginx on the nginx front ends") == world.members("web-servers"))
        #expect(targets("health check on the java servers") == world.members("app-servers"))
    }

    @Test func tagsAloneAndWithTheirKey() {
        #expect(
            targets("memory on all prod servers in site east")
                == world.targets { $0.tags["env"] == "prod" && $0.tags["site"] == "east" })
        #expect(targets("memory on the production servers") == world.targets { $0.tags["env"] == "prod" })
        #expect(targets("restart nginx on role=web env=staging") == ["web-stg01", "web-stg02"])
        #expect(targets("memory on prod and staging db servers") == world.members("db-servers"))
    }

    @Test func hostListsAndPlatforms() {
        #expect(targets("restart nginx on web01, web02 and web03") == ["web01", "web02", "web03"])
        #expect(targets("ping all windows servers") == world.targets { $0.os == .windows })
        #expect(
            targets("ping every linux host in site west")
                == world.targets { $0.os == .linux && $0.tags["site"] == "west" })
    }

    @Test func rangesAndSlashLists() {
        #expect(targets("ping cis-app01 through cis-app03") == ["cis-app01", "cis-app02", "cis-app03"])
        #expect(targets("restart nginx on web01/web02") == ["web01", "web02"])
    }

    @Test func anEmptyGroupWordFallsBackToItsTag() {
        // cis-servers holds the production hosts; "staging cis" means role=cis in staging.
        #expect(targets("restart Spooler on the staging cis server") == ["cis-stg01"])
    }

    @Test func rolePhrases() {
        #expect(targets("health check the load balancer") == ["lb01"])
        #expect(targets("is the domain controller reachable") == ["win-dc01"])
    }

    @Test func exceptLeavesTargetsOut() {
        #expect(targets("restart nginx on web hosts except staging") == ["web01", "web02", "web03", "web04"])
        #expect(
            targets("restart nginx on the web servers but not web01") == [
                "web-stg01", "web-stg02", "web02", "web03", "web04",
            ])
        #expect(
            targets("ping all windows servers except the print servers")
                == world.targets { $0.os == .windows && $0.tags["role"] != "print" })
    }

    @Test func unknownTargetsAreQuestionsWithSuggestions() {
        // act
        let answer = world.plan("restart nginx on web1")
        // assert
        #expect(answer.kind == .clarify)
        #expect(answer.questions.first?.field == "targets")
        #expect(answer.questions.first?.choices.contains("web01") == true)
        #expect(world.plan("restart nginx on the mail servers").questions.first?.field == "targets")
        #expect(world.plan("restart nginx").questions.first?.field == "targets")
    }

    @Test func aSelectionMatchingNothingIsAQuestion() {
        let answer = world.plan("check disk on site south")
        #expect(answer.kind == .clarify)
        #expect(answer.questions.first?.field == "targets")
    }

    @Test func selectionsNarrowAndWiden() {
        // setup
        let index = InventoryIndex(world.inventory)
        let web = TargetSelection(groups: ["web-servers"])
        let staging = TargetSelection(tags: [[InventoryIndex.Tag(key: "env", value: "staging")]])
        // act, assert
        #expect(index.resolve(web.narrowed(by: staging)) == ["web-stg01", "web-stg02"])
        #expect(
            index.resolve(TargetSelection(hosts: ["web01"]).widened(by: TargetSelection(hosts: ["db01"]))) == [
                "db01", "web01",
            ])
        #expect(index.resolve(TargetSelection()) == [])
    }
}

@Suite("Conductor platforms")
struct MultiPlatformTests {
    let world: ConductorWorld

    init() throws { world = try ConductorWorld() }

    @Test func aMixedGroupGetsOnePlanPerPlatform() {
        // act
        let answer = world.plan("restart postgresql on the db servers")
        // assert
        #expect(answer.kind == .plan)
        #expect(answer.plans.map(\.reference) == ["linux-service.restart", "windows-service.restart"])
        #expect(answer.plans.map(\.platform) == [.linux, .windows])
        #expect(answer.plans[0].parameters == ["unit": "postgresql"])
        #expect(answer.plans[1].parameters == ["service": "postgresql"])
        #expect(answer.plans[0].targets == ["db01", "db02"])
        #expect(answer.plans[1].targets == ["sql-win01"])
        #expect(answer.plans.allSatisfy { $0.destructive })
    }

    @Test func noToolForAPlatformIsAQuestionAboutTargets() {
        let answer = world.plan("install htop on the db servers")
        #expect(answer.kind == .clarify)
        #expect(answer.questions.first?.field == "targets")
        #expect(answer.questions.first?.text.contains("Windows") == true)
        #expect(answer.questions.first?.choices.contains("app-servers") == true)
        #expect(answer.questions.first?.choices.contains("cis-servers") == false)
    }

    @Test func destructiveComesFromTheCatalog() {
        #expect(world.plan("restart nginx on web01").plans.first?.destructive == true)
        #expect(world.plan("status of nginx on web01").plans.first?.destructive == false)
        #expect(world.plan("fix sft on web01").plans.first?.destructive == true, "a workflow with a destructive step")
        #expect(world.plan("health check on web01").plans.first?.destructive == false)
    }

    @Test func theSeedScenarioPlansTheWindowsWorkflow() {
        let (answer, _) = world.converse([
            "update stationcontroller on CIS servers",
            #"from \\fileserver\deploy\StationController\StationController.exe to C:\Program Files\StationController\StationController.exe"#,
        ])
        #expect(answer.kind == .plan)
        #expect(answer.plans.map(\.reference) == ["windows-service-update.update"])
        #expect(answer.plans.first?.targets == world.members("cis-servers"))
        #expect(answer.plans.first?.platform == .windows)
    }

    @Test func siteToolsArePlannedWithoutCodeChanges() throws {
        // setup
        let catalog = try SiteTools.catalog(
            adding: [
                "log-rotate": """
                id: log-rotate
                name: Log rotation
                description: Rotates and compresses application logs now instead of waiting for logrotate.
                platforms: [linux]
                actions:
                  - id: rotate
                    name: Rotate logs
                    interpreter: bash
                    script: |
                      logrotate -f /etc/logrotate.conf
                    timeout: 300
                    destructive: true
                """
            ], to: world)
        // act
        let answer = world.planner.plan(
            "rotate the logs on app01", state: nil, catalog: catalog, inventory: world.inventory
        ).0
        // assert
        #expect(answer.plans.map(\.reference) == ["log-rotate.rotate"])
        #expect(answer.plans.first?.destructive == true)
    }
}
