import Testing

@testable import OpsAWS

@Suite("SharedConfigParser")
struct SharedConfigParserTests {
    @Test func oddFormattingCommentsAndSubProperties() throws {
        // setup
        let text = """
            # leading comment
            ; another
              [ default ]   # comment after a section
            aws_access_key_id=AKIDDEFAULT
            AWS_Secret_Access_Key   =   s3cr#t;still   ; comment
            region = us-east-1#not-a-comment

            [profile dev]
            role_arn = arn:aws:iam::1:role/Dev
            s3 =
              max_concurrent_requests = 10
              region = ignored
            source_profile = default
            [profile dev]
            region = eu-west-1
            empty =
            """
        // act
        let sections = try SharedConfigParser.parse(text, file: "config")
        // assert
        #expect(
            sections["default"] == [
                "aws_access_key_id": "AKIDDEFAULT", "aws_secret_access_key": "s3cr#t;still",
                "region": "us-east-1#not-a-comment",
            ])
        #expect(
            sections["profile dev"] == [
                "role_arn": "arn:aws:iam::1:role/Dev", "s3": "", "source_profile": "default", "region": "eu-west-1",
                "empty": "",
            ])
    }

    @Test func windowsLineEndingsAndLastValueWins() throws {
        let sections = try SharedConfigParser.parse("[a]\r\nk = 1\r\nk = 2\r\n", file: "f")
        #expect(sections["a"] == ["k": "2"])
    }

    @Test func errorsNameFileAndLine() {
        let cases: [(String, String)] = [
            ("key = value", "property outside any [section]"),
            ("[a]\njust words", "expected 'key = value'"),
            ("[a]\n = v", "property without a name"),
            ("[a", "section header not closed by ']'"),
            ("[a]\n\n[  ]", "empty section name"),
        ]
        for (text, reason) in cases {
            let line = text.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(throws: AWSError.credentials(source: "/x/config line \(line)", reason: reason)) {
                try SharedConfigParser.parse(text, file: "/x/config")
            }
        }
    }
}

@Suite("SharedConfig")
struct SharedConfigTests {
    @Test func sectionRulesDifferBetweenTheTwoFiles() throws {
        // setup
        let config = """
            [default]
            region = us-east-1
            [profile default]
            region = us-west-2
            [profile dev]
            region = eu-west-1
            [prod]
            region = ignored-without-prefix
            [profile  spaced ]
            region = ap-south-1
            """
        let credentials = """
            [dev]
            aws_access_key_id = AKIDDEV
            region = eu-central-1
            [profile qa]
            aws_access_key_id = ignored
            [prod]
            aws_access_key_id = AKIDPROD
            """
        // act
        let shared = try SharedConfig(
            configText: config, configFile: "config", credentialsText: credentials, credentialsFile: "credentials")
        // assert
        #expect(shared.profiles["default"] == ["region": "us-west-2"])
        #expect(shared.profiles["dev"] == ["region": "eu-central-1", "aws_access_key_id": "AKIDDEV"])
        #expect(shared.profiles["prod"] == ["aws_access_key_id": "AKIDPROD"])
        #expect(shared.profiles["spaced"] == ["region": "ap-south-1"])
        #expect(shared.profiles["qa"] == nil && shared.profiles["profile qa"] == nil)
    }

    @Test func filePathsFromVariablesOrHome() {
        let home = SharedConfig.filePaths(variables: ["HOME": "/home/u"])
        #expect(home.config == "/home/u/.aws/config" && home.credentials == "/home/u/.aws/credentials")
        let explicit = SharedConfig.filePaths(variables: [
            "HOME": "/home/u", "AWS_CONFIG_FILE": "~/cfg", "AWS_SHARED_CREDENTIALS_FILE": "/etc/creds",
        ])
        #expect(explicit.config == "/home/u/cfg" && explicit.credentials == "/etc/creds")
        #expect(SharedConfig.filePaths(variables: [:]).config == nil)
    }

    @Test func loadReadsTheNamedFiles() throws {
        let files = ["/c": "[profile a]\nregion = r", "/k": "[a]\naws_access_key_id = K"]
        let shared = try SharedConfig.load(
            variables: ["AWS_CONFIG_FILE": "/c", "AWS_SHARED_CREDENTIALS_FILE": "/k"], readFile: { files[$0] })
        #expect(shared.profiles["a"] == ["region": "r", "aws_access_key_id": "K"])
    }
}
