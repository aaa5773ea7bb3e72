import OpsCore
import Testing

@testable import OpsConductor

@Suite("Conductor lexicon and typos")
struct LexiconTests {
    let world: ConductorWorld

    init() throws { world = try ConductorWorld() }

    @Test(arguments: ["restart", "bounce", "cycle", "kick", "recycle", "reboot", "reload"])
    func restartVerbs(_ verb: String) {
        // act
        let answer = world.plan("\(verb) nginx on web01")
        // assert
        #expect(answer.kind == .plan)
        #expect(answer.plans.map(\.reference) == ["linux-service.restart"])
        #expect(answer.plans.first?.parameters == ["unit": "nginx"])
    }

    @Test(arguments: [
        ("is nginx running on web01", "linux-service.status"), ("status of nginx on web01", "linux-service.status"),
        ("stop nginx on web01", "linux-service.stop"), ("shut down nginx on web01", "linux-service.stop"),
        ("take nginx down on web01", "linux-service.stop"), ("bring nginx up on web01", "linux-service.start"),
        ("safe restart nginx on web01", "linux-service.safe-restart"),
        ("upgrade curl on web01", "linux-package.update"),
        ("install curl on web01", "linux-package.install"), ("is curl installed on web01", "linux-package.status"),
        ("health check web01", "system.health"), ("check disk on web01", "system.disk"), ("ping web01", "system.ping"),
        ("how much ram on web01", "system.memory"), ("patch prep on web01", "linux-qc-prep.prep"),
        ("patch post on web01", "linux-qc-post.post"), ("fix sft on web01", "sft-fixer.fix"),
        ("verify reboot on web01", "linux-qc-post.verify-reboot"), ("is web01 up", "system.ping"),
        ("nginx restart web01", "linux-service.restart"),
        ("is StationController.exe running on cis-app01", "windows-system.process-status"),
        ("get the latest curl on web01", "linux-package.update"),
    ])
    func verbsChooseTheAction(_ text: String, _ reference: String) {
        let answer = world.plan(text)
        #expect(answer.plans.first?.reference == reference, "\(text): \(answer.text)")
    }

    @Test(arguments: [
        ("restrat nginx on web01", "linux-service.restart"), ("retsart nginx on web01", "linux-service.restart"),
        ("chekc disk on web01", "system.disk"), ("helth check on web01", "system.health"),
        ("instal htop on web01", "linux-package.install"), ("updaet curl on web01", "linux-package.update"),
    ])
    func typosAreCorrected(_ text: String, _ reference: String) {
        let answer = world.plan(text)
        #expect(answer.plans.first?.reference == reference, "\(text): \(answer.text)")
        #expect(answer.explanation.contains { $0.kind == "typo" })
    }

    @Test func referencesAndToolIdsTypedAsTheyAre() {
        #expect(
            world.plan("linux-service.restart unit=nginx on web01").plans.first?.reference == "linux-service.restart")
        #expect(world.plan("run linux-qc-post on app01").plans.first?.reference == "linux-qc-post.post")
    }

    @Test func aSequenceAsksInsteadOfPlanningOnlyItsFirstAction() {
        let answer = world.plan("restart nginx on web01 and then check its status")
        #expect(answer.kind == .clarify)
        #expect(answer.questions.first?.choices == ["linux-service.restart"])
        #expect(answer.explanation.contains { $0.kind == "later" })
    }

    @Test func shortWordsAreNotCorrected() {
        // "htop" is one letter from "stop": a short word is a value, never a typo.
        let answer = world.plan("install htop on web01")
        #expect(answer.plans.first?.reference == "linux-package.install")
        #expect(answer.plans.first?.parameters == ["package": "htop"])
    }

    @Test func fourLetterWordsAreCorrectedOnlyBySwaps() {
        #expect(FuzzyMatch.closest(to: "stpo", in: ["stop", "start"])?.word == "stop")
        #expect(FuzzyMatch.closest(to: "pign", in: ["ping"])?.word == "ping")
        #expect(FuzzyMatch.closest(to: "htop", in: ["stop"]) == nil)
        #expect(world.plan("stpo W3SVC on win-edge01").plans.first?.reference == "windows-service.stop")
    }

    @Test func aCheckingVerbMakesActionWordsObjects() {
        // "check the … update" must never become the update itself.
        let answer = world.plan(
            #"verify the StationController update on cis-app01 from \\fs01\d\sc.exe to C:\SC\sc.exe"#)
        #expect(!answer.plans.contains { $0.reference == "windows-service-update.update" })
    }

    @Test func distanceCountsSwapsAsOneEdit() {
        #expect(FuzzyMatch.distance("retsart", "restart", limit: 2) == 1)
        #expect(FuzzyMatch.distance("helth", "health", limit: 2) == 1)
        #expect(FuzzyMatch.distance("nginx", "restart", limit: 2) == nil)
        #expect(FuzzyMatch.distance("", "ab", limit: 2) == 2)
        #expect(FuzzyMatch.distance("", "abc", limit: 2) == nil)
    }

    @Test func closestRefusesTiesAndShortWords() {
        #expect(FuzzyMatch.closest(to: "stopp", in: ["stop", "start"])?.word == "stop")
        #expect(FuzzyMatch.closest(to: "htop", in: ["stop"]) == nil)
        // Equally close to two different words: no guess.
        #expect(FuzzyMatch.closest(to: "abcde", in: ["abcdx", "abcdy"]) == nil)
    }

    @Test func stemsRemoveCommonEndings() {
        #expect(Lexicon.stems("restarting").contains("restart"))
        #expect(Lexicon.stems("services").contains("service"))
        #expect(Lexicon.stems("updated").contains("update"))
    }
}
