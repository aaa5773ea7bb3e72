import Foundation
import Testing

@testable import OpsAWS

@Suite("SSM, EC2 and Organizations clients on the wire")
struct AWSClientsWireTests {
    static let endpoint = AWSEndpoint(
        scheme: "https", host: "ssm.us-gov-west-1.amazonaws.com", port: nil, path: "/",
        signingRegion: "us-gov-west-1", signingName: "ssm")

    static func client(_ transport: FakeHTTPTransport) -> AWSClient {
        AWSClient(
            transport: transport,
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "s")),
            sleep: { _ in })
    }

    static func json(_ text: String, status: Int = 200) -> AWSHTTPResponse {
        AWSHTTPResponse(status: status, headers: [("x-amzn-RequestId", "req-1")], body: Array(text.utf8))
    }

    @Test func sendCommandSpeaksJSON11WithTheDocumentParameters() async throws {
        // setup
        let transport = FakeHTTPTransport(sequence: [
            Self.json(#"{"Command":{"CommandId":"c-1","InstanceIds":["i-1"],"Status":"Pending"}}"#)
        ])
        let ssm = SSMClient(client: Self.client(transport), endpoint: Self.endpoint)
        // act
        let command = try await ssm.sendCommand(
            SSMSendCommandInput(
                documentName: "AWS-RunShellScript", instanceIDs: ["i-1"], commands: ["echo hi"],
                executionTimeoutSeconds: 60, deliveryTimeoutSeconds: 600, comment: "pcm-ops", maxConcurrency: "1",
                maxErrors: "100%"))
        // assert
        #expect(command.commandID == "c-1")
        let request = try #require(await transport.requests.first)
        #expect(request.header("X-Amz-Target") == "AmazonSSM.SendCommand")
        #expect(request.header("Content-Type") == "application/x-amz-json-1.1")
        #expect(request.header("Authorization")?.contains("/us-gov-west-1/ssm/aws4_request") == true)
        let body = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
        #expect(body?["DocumentName"] as? String == "AWS-RunShellScript")
        #expect((body?["Parameters"] as? [String: [String]])?["executionTimeout"] == ["60"])
        #expect((body?["Parameters"] as? [String: [String]])?["commands"] == ["echo hi"])
        #expect(body?["TimeoutSeconds"] as? Int == 600)
    }

    @Test func moreThan50InstancesAreRefusedBeforeSending() async throws {
        let transport = FakeHTTPTransport(sequence: [])
        let ssm = SSMClient(client: Self.client(transport), endpoint: Self.endpoint)
        await #expect(throws: AWSError.self) {
            _ = try await ssm.sendCommand(
                SSMSendCommandInput(
                    documentName: "AWS-RunShellScript", instanceIDs: (0..<51).map { "i-\($0)" }, commands: ["x"]))
        }
        #expect(await transport.requests.isEmpty)
    }

    @Test func listCommandInvocationsReadsThePluginAndThePageToken() async throws {
        // setup
        let page = #"""
            {"CommandInvocations":[{"CommandId":"c-1","InstanceId":"i-1","Status":"Failed","StatusDetails":"Failed",
             "CommandPlugins":[{"ResponseCode":3,"Output":"boom"}]}],"NextToken":"t2"}
            """#
        let transport = FakeHTTPTransport(sequence: [Self.json(page)])
        let ssm = SSMClient(client: Self.client(transport), endpoint: Self.endpoint)
        // act
        let result = try await ssm.listCommandInvocations(commandID: "c-1", nextToken: "t1", maxResults: 50)
        // assert
        #expect(result.nextToken == "t2")
        #expect(
            result.items == [
                SSMCommandInvocation(
                    commandID: "c-1", instanceID: "i-1", status: .failed, statusDetails: "Failed", responseCode: 3,
                    output: "boom")
            ])
        let body =
            try JSONSerialization.jsonObject(with: Data(try #require(await transport.requests.first).body))
            as? [String: Any]
        #expect(body?["Details"] as? Bool == true && body?["NextToken"] as? String == "t1")
    }

    @Test func invocationDoesNotExistIsATypedErrorWithTheRequestID() async throws {
        let transport = FakeHTTPTransport(sequence: [
            Self.json(#"{"__type":"InvocationDoesNotExist","message":""}"#, status: 400)
        ])
        let ssm = SSMClient(client: Self.client(transport), endpoint: Self.endpoint)
        do {
            _ = try await ssm.getCommandInvocation(commandID: "c", instanceID: "i")
            Issue.record("expected an error")
        } catch let error as AWSError {
            #expect(error.code == "InvocationDoesNotExist" && error.requestID == "req-1")
        }
    }

    @Test func anUnknownStatusIsAClearError() async throws {
        let transport = FakeHTTPTransport(sequence: [Self.json(#"{"Status":"Exploded","ResponseCode":0}"#)])
        let ssm = SSMClient(client: Self.client(transport), endpoint: Self.endpoint)
        await #expect(throws: AWSError.malformedJSON(operation: "SSM", reason: "unknown invocation status 'Exploded'"))
        {
            _ = try await ssm.getCommandInvocation(commandID: "c", instanceID: "i")
        }
    }

    @Test func describeInstancesSendsEC2FiltersAndReadsTagsAndTheToken() async throws {
        // setup
        let xml = """
            <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>
            <reservationSet><item><instancesSet><item><instanceId>i-0abc</instanceId>
            <instanceState><code>16</code><name>running</name></instanceState><platform>windows</platform>
            <privateIpAddress>10.0.0.5</privateIpAddress><instanceType>t3.micro</instanceType>
            <tagSet><item><key>Name</key><value>web-1</value></item><item><key>env</key><value>prod</value></item></tagSet>
            </item></instancesSet></item></reservationSet><nextToken>n2</nextToken></DescribeInstancesResponse>
            """
        let transport = FakeHTTPTransport(sequence: [.xml(xml)])
        let ec2 = EC2Client(client: Self.client(transport), endpoint: Self.endpoint)
        // act
        let page = try await ec2.describeInstances(
            filters: [.state(["running"]), .tag("env", ["prod"]), .nameContains("we*b")], maxResults: 5)
        // assert
        #expect(page.nextToken == "n2")
        #expect(
            page.instances == [
                EC2Instance(
                    instanceID: "i-0abc", state: "running", platform: "windows", privateIPAddress: "10.0.0.5",
                    instanceType: "t3.micro", tags: ["Name": "web-1", "env": "prod"])
            ])
        let form = await transport.form(0)
        #expect(form["Action"] == "DescribeInstances" && form["Version"] == "2016-11-15")
        #expect(form["Filter.1.Name"] == "instance-state-name" && form["Filter.1.Value.1"] == "running")
        #expect(form["Filter.2.Name"] == "tag:env" && form["Filter.3.Value.1"] == "*we\\*b*")
        #expect(form["MaxResults"] == "5")
    }

    @Test func organizationsFollowsNextToken() async throws {
        let transport = FakeHTTPTransport(sequence: [
            Self.json(#"{"Accounts":[{"Id":"111111111111","Name":"a","Status":"ACTIVE"}],"NextToken":"x"}"#),
            Self.json(#"{"Accounts":[{"Id":"222222222222","Name":"b","Status":"SUSPENDED"}]}"#),
        ])
        let accounts = try await OrganizationsClient(client: Self.client(transport), endpoint: Self.endpoint)
            .listAccounts()
        #expect(accounts.map(\.id) == ["111111111111", "222222222222"])
        #expect(await transport.requests.last?.header("X-Amz-Target") == "AWSOrganizationsV20161128.ListAccounts")
    }
}
