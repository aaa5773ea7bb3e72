import Testing

@testable import OpsAWS

@Suite("XMLTree")
struct XMLTreeTests {
    static let callerIdentity = """
        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <GetCallerIdentityResult>
            <Arn>arn:aws:iam::123456789012:user/Alice</Arn>
            <UserId>AKIAI44QH8DHBEXAMPLE</UserId>
            <Account>123456789012</Account>
          </GetCallerIdentityResult>
          <ResponseMetadata>
            <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
          </ResponseMetadata>
        </GetCallerIdentityResponse>
        """

    static let describeInstances = """
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
            <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
            <reservationSet>
                <item>
                    <reservationId>r-1</reservationId>
                    <instancesSet>
                        <item>
                            <instanceId>i-0598c7d356eba48d7</instanceId>
                            <instanceState><code>16</code><name>running</name></instanceState>
                            <tagSet>
                                <item><key>Name</key><value>web &amp; api</value></item>
                                <item><key>env</key><value>prod</value></item>
                            </tagSet>
                        </item>
                        <item><instanceId>i-2</instanceId></item>
                    </instancesSet>
                </item>
            </reservationSet>
        </DescribeInstancesResponse>
        """

    @Test func readsAnSTSResponse() throws {
        // act
        let root = try XMLTree.parse(Array((Self.callerIdentity + "\n").utf8))
        // assert
        #expect(root.name == "GetCallerIdentityResponse")
        #expect(root.attributes["xmlns"] == "https://sts.amazonaws.com/doc/2011-06-15/")
        #expect(try root.requiredString("GetCallerIdentityResult", "Account") == "123456789012")
        #expect(root.string("GetCallerIdentityResult", "Arn") == "arn:aws:iam::123456789012:user/Alice")
        #expect(root.string("ResponseMetadata", "RequestId") == "01234567-89ab-cdef-0123-456789abcdef")
    }

    @Test func readsNestedEC2ItemSets() throws {
        // act
        let root = try XMLTree.parse(Array(Self.describeInstances.utf8))
        let instances = root.items("reservationSet").flatMap { $0.items("instancesSet") }
        // assert
        #expect(root.string("requestId") == "8f7724cf-496f-496e-8fe3-example")
        #expect(instances.map { $0.string("instanceId") } == ["i-0598c7d356eba48d7", "i-2"])
        #expect(instances.first?.string("instanceState", "name") == "running")
        let tags = instances.first?.items("tagSet").map { ($0.string("key"), $0.string("value")) }
        #expect(tags?.first?.0 == "Name")
        #expect(tags?.first?.1 == "web & api")
        #expect(instances.last?.items("tagSet").isEmpty == true)
        #expect(root.firstDescendant(named: "reservationId")?.text == "r-1")
    }

    @Test func resolvesEntitiesAndCDATAAndKeepsLeafWhitespace() throws {
        // act
        let root = try XMLTree.parse(
            Array("<r><a>x &lt;y&gt; &quot;z&quot;</a><b><![CDATA[<raw> & ]]></b><c>  s  </c></r>".utf8))
        // assert
        #expect(root.string("a") == "x <y> \"z\"")
        #expect(root.string("b") == "<raw> & ")
        #expect(root.string("c") == "  s  ")
    }

    @Test func dropsNamespacePrefixes() throws {
        // act
        let root = try XMLTree.parse(Array(#"<ns:Envelope xmlns:ns="urn:x"><ns:Body>1</ns:Body></ns:Envelope>"#.utf8))
        // assert
        #expect(root.name == "Envelope")
        #expect(root.string("Body") == "1")
    }

    @Test func childrenNamedReturnsAllInOrder() throws {
        // act
        let root = try XMLTree.parse(Array("<r><m>1</m><x/><m>2</m></r>".utf8))
        // assert
        #expect(root.children(named: "m").map(\.text) == ["1", "2"])
        #expect(root.child("x")?.text == "")
        #expect(root.child("nope") == nil)
    }

    @Test func aMissingRequiredElementNamesItsPath() throws {
        // setup
        let root = try XMLTree.parse(Array(Self.callerIdentity.utf8))
        // act / assert
        #expect(throws: AWSError.missingElement(path: "GetCallerIdentityResponse/GetCallerIdentityResult/Nope")) {
            try root.requiredString("GetCallerIdentityResult", "Nope")
        }
        #expect(root.string("GetCallerIdentityResult", "Nope") == nil)
    }

    @Test func anEmptyDocumentIsMalformed() {
        #expect(throws: AWSError.malformedXML(reason: "empty document")) { try XMLTree.parse([UInt8]()) }
    }

    @Test(arguments: [
        "<a><b></a>", "<a>", "not xml at all", "<html><body>502 Bad Gateway</body>", "<a></a><b></b>",
        "<a></a>trailing text",
    ])
    func brokenDocumentsAreMalformed(_ text: String) {
        #expect {
            try XMLTree.parse(Array(text.utf8))
        } throws: { error in
            guard case .malformedXML = error as? AWSError else { return false }
            return true
        }
    }

    @Test func documentTypeDeclarationsAreRefused() {
        // setup: the classic entity expansion bomb, and an external entity
        let bomb = """
            <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
            <lolz>&lol2;</lolz>
            """
        let external = #"<!doctype r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"#
        // act / assert
        for document in [bomb, external] {
            #expect(throws: AWSError.malformedXML(reason: "document type declarations are not accepted")) {
                try XMLTree.parse(Array(document.utf8))
            }
        }
    }
}
