@testable import OpsAWS

/// STS response documents as AWS sends them.
enum STSFixtures {
    static func callerIdentity(
        arn: String = "arn:aws:iam::123456789012:user/alice", account: String = "123456789012"
    ) -> AWSHTTPResponse {
        .xml(
            """
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <GetCallerIdentityResult>
                <Arn>\(arn)</Arn>
                <UserId>AIDAEXAMPLE</UserId>
                <Account>\(account)</Account>
              </GetCallerIdentityResult>
              <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
            </GetCallerIdentityResponse>
            """)
    }

    static func assumeRole(
        keyID: String = "ASIAASSUMED", expiration: String = "2026-11-18T12:00:00Z",
        arn: String = "arn:aws:sts::123456789012:assumed-role/Admin/session"
    ) -> AWSHTTPResponse {
        .xml(
            """
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>
                <Credentials>
                  <AccessKeyId>\(keyID)</AccessKeyId>
                  <SecretAccessKey>secret-\(keyID)</SecretAccessKey>
                  <SessionToken>token-\(keyID)</SessionToken>
                  <Expiration>\(expiration)</Expiration>
                </Credentials>
                <AssumedRoleUser><AssumedRoleId>AROA:session</AssumedRoleId><Arn>\(arn)</Arn></AssumedRoleUser>
              </AssumeRoleResult>
              <ResponseMetadata><RequestId>req-assume</RequestId></ResponseMetadata>
            </AssumeRoleResponse>
            """)
    }

    static func error(_ code: String, status: Int = 400, requestID: String = "req-err") -> AWSHTTPResponse {
        .xml(
            """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <Error><Type>Sender</Type><Code>\(code)</Code><Message>\(code) happened</Message></Error>
              <RequestId>\(requestID)</RequestId>
            </ErrorResponse>
            """, status: status)
    }
}
