@testable import OpsAWS

// From AWS's SigV4 test suite (aws-sig-v4-test-suite, Apache-2.0, Amazon.com, Inc.), as distributed in
// botocore tests/unit/auth/aws4_testsuite and, for the unnormalized and signed-body cases, aws-c-auth
// tests/aws-signing-test-suite/v4. Credentials AKIDEXAMPLE, 20150830T123600Z, us-east-1, service `service`.
// Generated from those files; edit the request only if the source changes.

extension SigV4SuiteVector {
    /// Path normalization, normalized (default) and unnormalized (`normalizePath: false`).
    static let pathVectors: [SigV4SuiteVector] = [
        SigV4SuiteVector(
            name: "get-relative",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/example/..",
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
            name: "get-relative-relative",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/example1/example2/../..",
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
            name: "get-slash",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "//",
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
            name: "get-slash-dot-slash",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/./",
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
            name: "get-slash-pointless-dot",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/./example",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /example

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                214d50c111a8edc4819da6a636336472c916b5240f51e9a51b5c3305180cf702
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"
        ),
        SigV4SuiteVector(
            name: "get-slashes",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "//example//",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /example/

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                cb96b4ac96d501f7c5c15bc6d67b3035061cfced4af6585ad927f7e6c985c015
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"
        ),
        SigV4SuiteVector(
            name: "get-space",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/example space/",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /example%20space/

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"
        ),
        SigV4SuiteVector(
            name: "get-special-character",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/example/$delete",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                GET
                /example/%24delete

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                4053e45b5cef7cec5e17f736b1c12b3faf0388fd4c0bd24326386f132039ce5c
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=a853c9b21b528b19643d00910d35b83a10c366a10833ceefb45edd6c80e40f27"
        ),
        SigV4SuiteVector(
            name: "get-space-unnormalized",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/example space/",
                headers: [
                    .init("Host", "example.amazonaws.com")
                ]
            ),
            options: SigV4.Options(normalizePath: false),
            canonicalRequest: """
                GET
                /example%20space/

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"
        ),
        SigV4SuiteVector(
            name: "get-relative-unnormalized",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/example/..",
                headers: [
                    .init("Host", "example.amazonaws.com")
                ]
            ),
            options: SigV4.Options(normalizePath: false),
            canonicalRequest: """
                GET
                /example/..

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                0511f456aa502b456d135fcb9d749374a55228f9dbeedda1eacf659e05b0615b
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=eca7ead57bb5aa5c8e28007acd4ff04e1ff9a0ff3b237ec1554a184887ff9282"
        ),
        SigV4SuiteVector(
            name: "get-relative-relative-unnormalized",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/example1/example2/../..",
                headers: [
                    .init("Host", "example.amazonaws.com")
                ]
            ),
            options: SigV4.Options(normalizePath: false),
            canonicalRequest: """
                GET
                /example1/example2/../..

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                76115030c0f3ff06c20fdff5ceb6d5e0b835a1743e00b94fea7c7f381269437b
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=dc33e0856fd4baca4d7aa2146c38958283844764f38c74252a333df5e613003b"
        ),
        SigV4SuiteVector(
            name: "get-slash-unnormalized",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "//",
                headers: [
                    .init("Host", "example.amazonaws.com")
                ]
            ),
            options: SigV4.Options(normalizePath: false),
            canonicalRequest: """
                GET
                //

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                80cb39203d058af815de2b79250ff56e1b73eb9b4718c86556cdc6f150c5d209
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=c88bcd3d312d75078c0cd961d6deae3f4c754924b01669efcfcb439fd5e5b76e"
        ),
        SigV4SuiteVector(
            name: "get-slashes-unnormalized",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "//example//",
                headers: [
                    .init("Host", "example.amazonaws.com")
                ]
            ),
            options: SigV4.Options(normalizePath: false),
            canonicalRequest: """
                GET
                //example//

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                528ec3105ee1f34ab014bb0a1a45da0ed2742a4fea3555149e5b4d5d201eb240
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=87cca117541a147f6df867677d98a7d80dff226d2bfca9e4ffa899665623c7e5"
        ),
        SigV4SuiteVector(
            name: "get-slash-dot-slash-unnormalized",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/./",
                headers: [
                    .init("Host", "example.amazonaws.com")
                ]
            ),
            options: SigV4.Options(normalizePath: false),
            canonicalRequest: """
                GET
                /./

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                d67825e2268bd77a97c7688b8d72c31a3c1855b309808505ba0a9747d2465aa7
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=68714168e6557f8f2de0ef956fc24dc2593a4bd2961f8df51898d8a134695145"
        ),
        SigV4SuiteVector(
            name: "get-slash-pointless-dot-unnormalized",
            request: SigV4.Request(
                method: "GET", host: "example.amazonaws.com", path: "/./example",
                headers: [
                    .init("Host", "example.amazonaws.com")
                ]
            ),
            options: SigV4.Options(normalizePath: false),
            canonicalRequest: """
                GET
                /./example

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                73895e0e829507e28e39fd24669aedc2434a8e179e547e3c075b42921f952cdb
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=beb03f223f7deae4146464f06e29eebbee9c8afbe15c290cf07aa8b119e14cff"
        ),
    ]
}
