import Testing

@testable import OpsAWS

@Suite("AWSEndpointResolver")
struct AWSEndpointResolverTests {
    @Test func commercialEndpointsAreRegional() throws {
        // setup
        let resolver = AWSEndpointResolver(environment: .com)
        // act
        let sts = try resolver.endpoint(for: .sts, region: "eu-west-1")
        let ssm = try resolver.endpoint(for: .ssm, region: "us-east-2")
        // assert
        #expect(sts.url == "https://sts.eu-west-1.amazonaws.com/")
        #expect(sts.signingRegion == "eu-west-1" && sts.signingName == "sts")
        #expect(ssm.url == "https://ssm.us-east-2.amazonaws.com/")
    }

    @Test func govCloudEndpointsAndGlobalServices() throws {
        let gov = AWSEndpointResolver(environment: .gov)
        #expect(try gov.endpoint(for: .sts, region: "us-gov-west-1").host == "sts.us-gov-west-1.amazonaws.com")
        #expect(try gov.endpoint(for: .ec2, region: "us-gov-east-1").host == "ec2.us-gov-east-1.amazonaws.com")
        let organizations = try gov.endpoint(for: .organizations, region: "us-gov-east-1")
        #expect(organizations.host == "organizations.us-gov-west-1.amazonaws.com")
        #expect(organizations.signingRegion == "us-gov-west-1")
        #expect(try gov.endpoint(for: .iam, region: "us-gov-east-1").host == "iam.us-gov.amazonaws.com")
        let comOrganizations = try AWSEndpointResolver(environment: .com).endpoint(
            for: .organizations, region: "eu-west-1")
        #expect(comOrganizations.host == "organizations.us-east-1.amazonaws.com")
        #expect(comOrganizations.signingRegion == "us-east-1")
    }

    @Test func regionsOutsideThePartitionAreRefused() {
        #expect(throws: AWSError.endpoint(reason: "region 'us-east-1' is not in environment gov (aws-us-gov)")) {
            try AWSEndpointResolver(environment: .gov).endpoint(for: .sts, region: "us-east-1")
        }
        #expect(throws: AWSError.self) {
            try AWSEndpointResolver(environment: .com).endpoint(for: .sts, region: "us-gov-west-1")
        }
        #expect(throws: AWSError.self) {
            try AWSEndpointResolver(environment: .com).endpoint(for: .sts, region: "Bogus")
        }
    }

    @Test func serviceOverrideBeatsGlobalOverride() throws {
        // setup
        let variables = [
            "AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_STS": "http://localhost:4566/sts/",
        ]
        let resolver = AWSEndpointResolver(environment: .gov, variables: variables)
        // act
        let sts = try resolver.endpoint(for: .sts, region: "us-gov-west-1")
        let ec2 = try resolver.endpoint(for: .ec2, region: "us-gov-west-1")
        // assert
        #expect(sts.url == "http://localhost:4566/sts/")
        #expect(sts.hostHeader == "localhost:4566" && sts.path == "/sts/")
        #expect(sts.signingRegion == "us-gov-west-1")
        #expect(ec2.url == "http://127.0.0.1:5000/")
    }

    @Test func overridesCanBeIgnoredAndDefaultPortsDropped() throws {
        let ignored = AWSEndpointResolver(
            environment: .com,
            variables: ["AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"])
        #expect(try ignored.endpoint(for: .sts, region: "us-east-1").host == "sts.us-east-1.amazonaws.com")
        let https = AWSEndpointResolver(environment: .com, variables: ["AWS_ENDPOINT_URL": "https://example.test:443"])
        #expect(try https.endpoint(for: .sts, region: "us-east-1").hostHeader == "example.test")
    }

    @Test func malformedOverridesNameTheVariable() {
        for bad in ["not a url", "ftp://host", "http://", "http://h?x=1"] {
            let resolver = AWSEndpointResolver(environment: .com, variables: ["AWS_ENDPOINT_URL_EC2": bad])
            #expect(
                throws: AWSError.endpoint(reason: "AWS_ENDPOINT_URL_EC2='\(bad)' is not an http(s) URL with a host")
            ) {
                try resolver.endpoint(for: .ec2, region: "us-east-1")
            }
        }
    }
}

@Suite("AWSEnvironment")
struct AWSEnvironmentTests {
    @Test func partitionsAndDefaults() {
        #expect(AWSEnvironment.com.partition == "aws" && AWSEnvironment.com.defaultRegion == "us-east-1")
        #expect(AWSEnvironment.gov.partition == "aws-us-gov" && AWSEnvironment.gov.defaultRegion == "us-gov-west-1")
        #expect(AWSEnvironment.gov.regions == ["us-gov-west-1", "us-gov-east-1"])
        #expect(AWSEnvironment.named("GOV") == .gov && AWSEnvironment.named("cn") == nil)
        #expect(AWSEnvironment.com.contains(region: "ap-east-2") && !AWSEnvironment.gov.contains(region: "us-east-1"))
    }

    @Test func regionPrecedence() {
        let gov = AWSEnvironment.gov
        #expect(gov.region(variables: [:]) == "us-gov-west-1")
        #expect(gov.region(variables: [:], profileRegion: "us-gov-east-1") == "us-gov-east-1")
        #expect(gov.region(variables: ["AWS_DEFAULT_REGION": "b", "AWS_REGION": " a "], profileRegion: "c") == "a")
        #expect(gov.region(variables: ["AWS_DEFAULT_REGION": "b", "AWS_REGION": ""], profileRegion: "c") == "b")
    }
}
