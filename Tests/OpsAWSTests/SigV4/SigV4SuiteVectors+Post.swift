@testable import OpsAWS

// From AWS's SigV4 test suite (aws-sig-v4-test-suite, Apache-2.0, Amazon.com, Inc.), as distributed in
// botocore tests/unit/auth/aws4_testsuite and, for the unnormalized and signed-body cases, aws-c-auth
// tests/aws-signing-test-suite/v4. Credentials AKIDEXAMPLE, 20150830T123600Z, us-east-1, service `service`.
// Generated from those files; edit the request only if the source changes.

extension SigV4SuiteVector {
    /// The session token of `post-sts-header-before`.
    static let stsExampleToken =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeo"
        + "IYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5V"
        + "SXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yj"
        + "c8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

    /// POST requests: header case and order, session tokens, form bodies, signed payload header.
    static let postVectors: [SigV4SuiteVector] = [
        SigV4SuiteVector(
            name: "post-header-key-case",
            request: SigV4.Request(
                method: "POST", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                POST
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
                553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
        ),
        SigV4SuiteVector(
            name: "post-header-key-sort",
            request: SigV4.Request(
                method: "POST", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("My-Header1", "value1"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                POST
                /

                host:example.amazonaws.com
                my-header1:value1
                x-amz-date:20150830T123600Z

                host;my-header1;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;my-header1;x-amz-date, "
                + "Signature=c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"
        ),
        SigV4SuiteVector(
            name: "post-header-value-case",
            request: SigV4.Request(
                method: "POST", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("My-Header1", "VALUE1"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                POST
                /

                host:example.amazonaws.com
                my-header1:VALUE1
                x-amz-date:20150830T123600Z

                host;my-header1;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                d51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;my-header1;x-amz-date, "
                + "Signature=cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"
        ),
        SigV4SuiteVector(
            name: "post-sts-header-after",
            request: SigV4.Request(
                method: "POST", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                POST
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
                553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
        ),
        SigV4SuiteVector(
            name: "post-sts-header-before",
            request: SigV4.Request(
                method: "POST", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                    .init("X-Amz-Security-Token", stsExampleToken),
                ]
            ),
            sessionToken: stsExampleToken,
            canonicalRequest: """
                POST
                /

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z
                x-amz-security-token:\(stsExampleToken)

                host;x-amz-date;x-amz-security-token
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date;x-amz-security-token, "
                + "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"
        ),
        SigV4SuiteVector(
            name: "post-vanilla",
            request: SigV4.Request(
                method: "POST", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                POST
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
                553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
        ),
        SigV4SuiteVector(
            name: "post-vanilla-empty-query-value",
            request: SigV4.Request(
                method: "POST", host: "example.amazonaws.com", path: "/",
                query: [.init("Param1", "value1")],
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                POST
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
                9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"
        ),
        SigV4SuiteVector(
            name: "post-vanilla-query",
            request: SigV4.Request(
                method: "POST", host: "example.amazonaws.com", path: "/",
                query: [.init("Param1", "value1")],
                headers: [
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ]
            ),
            canonicalRequest: """
                POST
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
                9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"
        ),
        SigV4SuiteVector(
            name: "post-x-www-form-urlencoded",
            request: SigV4.Request(
                method: "POST", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Content-Type", "application/x-www-form-urlencoded"),
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ],
                body: Array("Param1=value1".utf8)
            ),
            canonicalRequest: """
                POST
                /

                content-type:application/x-www-form-urlencoded
                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                content-type;host;x-amz-date
                9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"
        ),
        SigV4SuiteVector(
            name: "post-x-www-form-urlencoded-parameters",
            request: SigV4.Request(
                method: "POST", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Content-Type", "application/x-www-form-urlencoded; charset=utf8"),
                    .init("Host", "example.amazonaws.com"),
                    .init("X-Amz-Date", "20150830T123600Z"),
                ],
                body: Array("Param1=value1".utf8)
            ),
            canonicalRequest: """
                POST
                /

                content-type:application/x-www-form-urlencoded; charset=utf8
                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                content-type;host;x-amz-date
                9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                2e1cf7ed91881a30569e46552437e4156c823447bf1781b921b5d486c568dd1c
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"
        ),
        SigV4SuiteVector(
            name: "post-x-www-form-urlencoded-signed-body",
            request: SigV4.Request(
                method: "POST", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Content-Type", "application/x-www-form-urlencoded"),
                    .init("Host", "example.amazonaws.com"),
                    .init("Content-Length", "13"),
                ],
                body: Array("Param1=value1".utf8)
            ),
            options: SigV4.Options(addContentSHA256Header: true),
            canonicalRequest: """
                POST
                /

                content-length:13
                content-type:application/x-www-form-urlencoded
                host:example.amazonaws.com
                x-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
                x-amz-date:20150830T123600Z

                content-length;content-type;host;x-amz-content-sha256;x-amz-date
                9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                b1edd1d03544c25390e32085d55b57acc9a3961bb59415ff86c45c3d89d16cfb
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, "
                + "Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"
        ),
        SigV4SuiteVector(
            name: "post-x-www-form-urlencoded-parameters-signed-body",
            request: SigV4.Request(
                method: "POST", host: "example.amazonaws.com", path: "/",
                headers: [
                    .init("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                    .init("Host", "example.amazonaws.com"),
                    .init("Content-Length", "13"),
                ],
                body: Array("Param1=value1".utf8)
            ),
            options: SigV4.Options(addContentSHA256Header: true),
            canonicalRequest: """
                POST
                /

                content-length:13
                content-type:application/x-www-form-urlencoded; charset=utf-8
                host:example.amazonaws.com
                x-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
                x-amz-date:20150830T123600Z

                content-length;content-type;host;x-amz-content-sha256;x-amz-date
                9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
                """,
            stringToSign: """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                a89f1a5b53e37702ee6363ce1da3ce8f54386f3c8f352ae652153c2982a0bc4d
                """,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, "
                + "Signature=328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422"
        ),
    ]
}
