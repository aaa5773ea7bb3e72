import Testing

@testable import OpsWinRM

@Suite("WinRM faults")
struct WinRMFaultTests {
    private func fault(_ xml: String) throws -> WinRMFault {
        let document =
            "<s:Fault xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" "
            + "xmlns:f=\"http://schemas.microsoft.com/wbem/wsman/1/wsmanfault\">\(xml)</s:Fault>"
        return WinRMFault(faultElement: try WSManXMLParser.parse(Array(document.utf8)))
    }

    @Test func quotaFaultsAreRetryableAndSaySo() throws {
        // setup: MaxShellsPerUser exceeded, as Windows reports it (MS-WSMV 3.1.4.5.2.1)
        let quota = try fault(
            "<s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:QuotaLimit</s:Value></s:Subcode></s:Code>"
                + "<s:Reason><s:Text xml:lang=\"en-US\">The WS-Management service cannot process the request.</s:Text></s:Reason>"
                + "<s:Detail><f:WSManFault Code=\"2150859236\" Machine=\"win1\"><f:Message>The Windows Remote Shell cannot "
                + "process the request. The server is already executing the maximum number of concurrent shells a user can "
                + "remotely open on the same system. Retry later.</f:Message></f:WSManFault></s:Detail>")
        // assert
        #expect(quota.code == 2_150_859_236)
        #expect(quota.isRetryable)
        #expect(WSManError.fault(quota).isRetryable)
        #expect(quota.description.contains("retrying later may succeed"))
        #expect(quota.description.contains("2150859236"))
        #expect(quota.description.contains("w:QuotaLimit"))
        #expect(quota.description.contains("from win1"))
    }

    @Test(
        "every quota code is retryable",
        arguments: Array(WinRMFault.Code.quotaFaults))
    func quotaCode(code: UInt32) {
        #expect(WinRMFault(code: code, subcode: "InternalError", message: "quota").isRetryable)
    }

    @Test func maxConcurrentOperationsPerUserIsAQuota() {
        #expect(WinRMFault.Code.quotaFaults.contains(2_150_859_240))
    }

    @Test func otherFaultsAreNotRetryable() {
        #expect(!WinRMFault(code: 5, subcode: "AccessDenied", message: "Access is denied.").isRetryable)
        #expect(
            !WinRMFault(code: WinRMFault.Code.unknownShellOrCommand, subcode: "InvalidSelectors", message: "x")
                .isRetryable)
        #expect(!WinRMFault(code: nil, subcode: nil, message: "x").isRetryable)
    }

    @Test func timedOutIsRecognisedByCodeOrSubcode() {
        #expect(WinRMFault(code: 2_150_858_793, subcode: "TimedOut", message: "").isOperationTimeout)
        #expect(WinRMFault(code: nil, subcode: "TimedOut", message: "").isOperationTimeout)
        #expect(!WinRMFault(code: 2_150_858_843, subcode: "TimedOut", message: "").isOperationTimeout)
        #expect(!WinRMFault(code: nil, subcode: "InvalidSelectors", message: "").isOperationTimeout)
    }

    @Test func providerFaultTextIsTheMessageWithoutMarkup() throws {
        // act
        let parsed = try fault(
            "<s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:InternalError</s:Value></s:Subcode></s:Code>"
                + "<s:Reason><s:Text>The system cannot find the file specified. </s:Text></s:Reason><s:Detail>"
                + "<f:WSManFault Code=\"2147942402\" Machine=\"host\"><f:Message><f:ProviderFault provider=\"Shell cmd plugin\" "
                + "path=\"%systemroot%\\system32\\winrscmd.dll\">The system cannot\r\n   find the file specified. </f:ProviderFault>"
                + "</f:Message></f:WSManFault></s:Detail>")
        // assert
        #expect(parsed.message == "The system cannot find the file specified.")
        #expect(parsed.provider == "Shell cmd plugin")
        #expect(parsed.subcode == "InternalError")
        #expect(parsed.soapCode == "Receiver")
        #expect(!parsed.description.contains("<"))
    }

    @Test func missingPartsFallBack() throws {
        let reasonOnly = try fault("<s:Reason><s:Text>Only a reason.</s:Text></s:Reason>")
        #expect(reasonOnly.message == "Only a reason.")
        #expect(reasonOnly.code == nil)
        #expect(reasonOnly.subcode == nil)
        let nothing = try fault("")
        #expect(nothing.message == "the fault carries no message")
        #expect(nothing.description == "WinRM fault: the fault carries no message")
        let badCode = try fault(
            "<s:Detail><f:WSManFault Code=\"not-a-number\"><f:Message>m</f:Message></f:WSManFault></s:Detail>")
        #expect(badCode.code == nil)
        #expect(badCode.message == "m")
    }

    @Test func longMessagesAreCut() throws {
        let long = String(repeating: "word ", count: 2_000)
        let parsed = try fault(
            "<s:Detail><f:WSManFault Code=\"1\"><f:Message>\(long)</f:Message></f:WSManFault></s:Detail>")
        #expect(parsed.message.count == WinRMFault.maximumMessageLength)
    }
}
