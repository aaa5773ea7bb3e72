@testable import OpsAWS

// From AWS's SigV4 test suite (aws-sig-v4-test-suite, Apache-2.0, Amazon.com, Inc.), as distributed in
// botocore tests/unit/auth/aws4_testsuite and, for the unnormalized and signed-body cases, aws-c-auth
// tests/aws-signing-test-suite/v4. Credentials AKIDEXAMPLE, 20150830T123600Z, us-east-1, service `service`.
// Generated from those files; edit the request only if the source changes.

extension SigV4SuiteVector {
    /// GET requests: header canonicalization, unreserved and UTF-8 paths, session token.
    static let getVectors: [SigV4SuiteVector] = [
        SigV4SuiteVector(
            name: "get-header-key-duplicate",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("My-Header1", "value2"),
                    .init("My-Header1", "value2"),
                    .init("My-Header1", "value1"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /

                host:example.amazonaws.com
                my-header1:value2,value2,value1
                x-amz-date:20150830T123600Z

                host;my-header1;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;my-header1;x-amz-date, "
                + "Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"
        ),
        SigV4SuiteVector(
            name: "get-header-value-multiline",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("My-Header1", "value1\n  value2\n     value3"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /

                host:example.amazonaws.com
                my-header1:value1 value2 value3
                x-amz-date:20150830T123600Z

                host;my-header1;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                e99419459a677bc11de234014be3c4e72c1ea5b454ceb58b613061f5d7a162e8
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;my-header1;x-amz-date, "
                + "Signature=cfd34249e4b1c8d6b91ef74165d41a32e5fab3306300901bb65a51a73575eefd"
        ),
        SigV4SuiteVector(
            name: "get-header-value-order",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("My-Header1", "value4"),
                    .init("My-Header1", "value1"),
                    .init("My-Header1", "value3"),
                    .init("My-Header1", "value2"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /

                host:example.amazonaws.com
                my-header1:value4,value1,value3,value2
                x-amz-date:20150830T123600Z

                host;my-header1;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;my-header1;x-amz-date, "
                + "Signature=08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"
        ),
        SigV4SuiteVector(
            name: "get-header-value-trim",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("My-Header1", " value1"),
                    .init("My-Header2", " \"a   b   c\""),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /

                host:example.amazonaws.com
                my-header1:value1
                my-header2:"a b c"
                x-amz-date:20150830T123600Z

                host;my-header1;my-header2;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;my-header1;my-header2;x-amz-date, "
                + "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"
        ),
        SigV4SuiteVector(
            name: "get-unreserved",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com",
                path: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"
        ),
        SigV4SuiteVector(
            name: "get-utf8",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/\u{1234}",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /%E1%88%B4

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"
        ),
        SigV4SuiteVector(
            name: "get-vanilla",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        ),
        SigV4SuiteVector(
            name: "get-vanilla-with-session-token",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            sessionToken: "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267",
            canonicalRequest: """
                GET
                /

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z
                x-amz-security-token:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267

                host;x-amz-date;x-amz-security-token
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                067b36aa60031588cea4a4cde1f21215227a047690c72247f1d70b32fbbfad2b
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date;x-amz-security-token, "
                + "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"
        ),
    ]
}
