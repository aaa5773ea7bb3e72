import OpsCore
import Testing

@testable import OpsConductor

@Suite("Conductor parameter extraction")
struct ParameterExtractionTests {
    let world: ConductorWorld

    init() throws { world = try ConductorWorld() }

    @Test func aQuotedValueIsTakenWhole() {
        let answer = world.plan(#"restart "systemd-resolved" on web01"#)
        #expect(answer.plans.first?.parameters == ["unit": "systemd-resolved"])
    }

    @Test func aValueWithEqualsSignsIsTakenWhole() {
        // StackStorm's aliases split such values (st2#3882).
        let answer = world.plan("re-enroll web01 with token abc+/def==")
        #expect(answer.plans.first?.reference == "sft-fixer.repair")
        #expect(answer.plans.first?.parameters == ["enrollment_token": "abc+/def=="])
        #expect(!answer.text.contains("abc+/def=="), "a secret is never shown")
    }

    @Test func anAssignmentNamesItsParameter() {
        let answer = world.plan("repair sft on web01 enrollment_token=a.b=c==")
        #expect(answer.plans.first?.parameters == ["enrollment_token": "a.b=c=="])
    }

    @Test func thresholdsVersionsAndWaits() {
        #expect(world.plan("check disk on web01, fail above 80%").plans.first?.parameters == ["threshold": "80"])
        #expect(world.plan("check disk on web01 threshold 75").plans.first?.parameters == ["threshold": "75"])
        #expect(
            world.plan("update nginx to version 1.22.1-9 on web01").plans.first?.parameters == [
                "package": "nginx", "version": "1.22.1-9",
            ])
        #expect(
            world.plan("restart nginx on web01 wait 90 seconds").plans.first?.parameters == [
                "unit": "nginx", "wait_seconds": "90",
            ])
    }

    @Test func windowsAndUNCPathsWithSpaces() {
        // setup
        let text =
            #"update stationcontroller on cis-app01 from \\fs01\deploy\new build\sc.exe to C:\Program Files\Station Controller\sc.exe"#
        // act
        let answer = world.plan(text)
        // assert
        #expect(answer.kind == .plan, "\(answer.text)")
        #expect(answer.plans.first?.reference == "windows-service-update.update")
        #expect(answer.plans.first?.parameters["source_path"] == #"\\fs01\deploy\new build\sc.exe"#)
        #expect(answer.plans.first?.parameters["target_path"] == #"C:\Program Files\Station Controller\sc.exe"#)
        #expect(answer.plans.first?.parameters["service_name"] == "StationController")
    }

    @Test func quotedPathsKeepTheirSpaces() {
        let answer = world.plan(#"update stationcontroller on cis-app01 from "D:\a b\c.exe" to "C:\x y\c.exe""#)
        #expect(answer.plans.first?.parameters["source_path"] == #"D:\a b\c.exe"#)
        #expect(answer.plans.first?.parameters["target_path"] == #"C:\x y\c.exe"#)
    }

    @Test func aMissingRequiredParameterIsAQuestion() {
        let answer = world.plan("update stationcontroller on the CIS servers")
        #expect(answer.kind == .clarify)
        #expect(answer.questions.map(\.field) == ["parameters.source_path", "parameters.target_path"])
    }

    @Test func anInvalidValueIsAQuestionNamingTheValidatorsReason() {
        let answer = world.plan(#"restart "nginx=1" on web01"#)
        #expect(answer.kind == .clarify)
        #expect(answer.questions.first?.field == "parameters.unit")
        #expect(answer.questions.first?.text.contains("does not match") == true)
    }

    @Test func outOfRangeNumbersAreQuestions() {
        #expect(world.plan("check disk on web01 threshold 150").questions.first?.field == "parameters.threshold")
        #expect(
            world.plan("restart nginx on web01 wait 9999 seconds").questions.first?.field == "parameters.wait_seconds")
    }

    @Test func parameterWordsAroundTheirValues() {
        #expect(
            world.plan("restart nginx on web01 with a 120 second wait").plans.first?.parameters == [
                "unit": "nginx", "wait_seconds": "120",
            ])
        #expect(
            world.plan("initial report on dev01 without refreshing").plans.first?.parameters == ["refresh": "false"])
        let backup = world.plan(
            #"update stationcontroller on cis-app02 from \\fs\d\sc.exe to C:\SC\sc.exe and back up to D:\bk"#)
        #expect(backup.plans.first?.parameters["backup_dir"] == #"D:\bk"#)
        #expect(backup.plans.first?.parameters["process_name"] == nil)
    }

    @Test func aptStylePins() {
        #expect(
            world.plan("install nginx=1.24.0-1 on web-stg02").plans.first?.parameters == [
                "package": "nginx", "version": "1.24.0-1",
            ])
    }

    @Test func oneValuePerParameterAtATime() {
        let answer = world.plan("install zsh and git on dev02")
        #expect(answer.kind == .clarify)
        #expect(answer.questions.first?.field == "parameters.package")
        #expect(answer.questions.first?.choices == ["zsh", "git"])
    }

    @Test func aShoutedRequestIsNotAboutCase() {
        #expect(world.plan("RESTART NGINX ON WEB01").plans.first?.parameters == ["unit": "nginx"])
        // Typed case is kept otherwise (Windows service names).
        #expect(world.plan("restart W3SVC on win-edge01").plans.first?.parameters == ["service": "W3SVC"])
    }

    @Test func aUNCPathCannotBeTheTarget() {
        let answer = world.plan(#"update stationcontroller on cis-app01 from C:\a\b.exe to \\fs01\share\b.exe"#)
        #expect(answer.kind == .clarify)
        #expect(answer.questions.first?.field == "parameters.target_path")
    }

    @Test func nonASCIIURLAndEqualsValuesReachASiteToolWhole() throws {
        // setup: a site tool whose parameters accept anything up to a length
        let catalog = try SiteTools.catalog(
            adding: [
                "notify": """
                id: notify
                name: Notify
                description: Posts a message to a webhook from the host.
                platforms: [linux]
                actions:
                  - id: post
                    name: Post message
                    description: Posts the message to the webhook URL.
                    interpreter: bash
                    script: |
                      echo posting
                    timeout: 30
                    parameters:
                      - name: message
                        type: string
                        required: true
                        max_length: 200
                      - name: webhook
                        type: string
                        required: true
                        pattern: '^https://[^ ]+$'
                """
            ], to: world)
        let text = #"notify post message "Grüße, Welt: a=b" webhook https://hooks.example/x?a=1&b=2 on web01"#
        // act
        let answer = world.planner.plan(text, state: nil, catalog: catalog, inventory: world.inventory).0
        // assert
        #expect(answer.kind == .plan, "\(answer.text)")
        #expect(
            answer.plans.first?.parameters == [
                "message": "Grüße, Welt: a=b", "webhook": "https://hooks.example/x?a=1&b=2",
            ])
    }

    @Test func tokensKeepValuesIntact() {
        let request = RequestText(#"restart 'a b' on "c=d" with x=y=z and \\srv\share\f.exe plus https://h/p?q=1"#)
        #expect(request.tokens.contains { $0.kind == .quoted && $0.raw == "a b" })
        #expect(request.tokens.contains { $0.kind == .quoted && $0.raw == "c=d" })
        #expect(request.tokens.contains { $0.kind == .assignment(name: "x", value: "y=z") })
        #expect(request.tokens.contains { $0.kind == .path && $0.raw == #"\\srv\share\f.exe"# })
        #expect(request.tokens.contains { $0.kind == .url && $0.raw == "https://h/p?q=1" })
        // An apostrophe inside a word is not a quote.
        #expect(RequestText("what's up on web01").tokens.map(\.raw).contains("what"))
    }
}
