@testable import OpsAWS

// From AWS's SigV4 test suite (aws-sig-v4-test-suite, Apache-2.0, Amazon.com, Inc.), as distributed in
// botocore tests/unit/auth/aws4_testsuite and, for the unnormalized and signed-body cases, aws-c-auth
// tests/aws-signing-test-suite/v4. Credentials AKIDEXAMPLE, 20150830T123600Z, us-east-1, service `service`.
// Generated from those files; edit the request only if the source changes.

extension SigV4SuiteVector {
    /// Query strings: ordering by name then value, encoding, empty values, UTF-8.
    static let queryVectors: [SigV4SuiteVector] = [
        SigV4SuiteVector(
            name: "get-vanilla-empty-query-key",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/",
                query: [.init("Param1", "value1")],
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /
                Param1=value1
                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"
        ),
        SigV4SuiteVector(
            name: "get-vanilla-query",
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
            name: "get-vanilla-query-order-encoded",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/",
                query: [.init("Param-3", "Value3"), .init("Param", "Value2"), .init("\u{1234}", "Value1")],
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /
                %E1%88%B4=Value1&Param=Value2&Param-3=Value3
                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                868294f5c38bd141c4972a373a76654f1418a8e4fc18b2e7903ae45e8ae0ec71
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac"
        ),
        SigV4SuiteVector(
            name: "get-vanilla-query-order-key",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/",
                query: [.init("Param1", "value2"), .init("Param1", "Value1")],
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /
                Param1=Value1&Param1=value2
                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"
        ),
        SigV4SuiteVector(
            name: "get-vanilla-query-order-key-case",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/",
                query: [.init("Param2", "value2"), .init("Param1", "value1")],
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /
                Param1=value1&Param2=value2
                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        ),
        SigV4SuiteVector(
            name: "get-vanilla-query-order-value",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/",
                query: [.init("Param1", "value2"), .init("Param1", "value1")],
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /
                Param1=value1&Param1=value2
                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                c968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"
        ),
        SigV4SuiteVector(
            name: "get-vanilla-query-unreserved",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/",
                query: [
                    .init(
                        "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                        "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
                ],
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /
                -._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=\
                -._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz
                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"
        ),
        SigV4SuiteVector(
            name: "get-vanilla-utf8-query",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/",
                query: [.init("\u{1234}", "bar")],
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /
                %E1%88%B4=bar
                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"
        ),
    ]
}
