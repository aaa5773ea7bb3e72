import Testing

@testable import OpsAWS

@Suite("AWS Query request bodies")
struct AWSQueryRequestTests {
    @Test func actionAndVersionComeFirst() {
        // act
        let request = AWSQueryRequest(action: "GetCallerIdentity", version: "2011-06-15", listStyle: .member)
        // assert
        #expect(request.formBody == "Action=GetCallerIdentity&Version=2011-06-15")
        #expect(request.body == Array(request.formBody.utf8))
        #expect(AWSQueryRequest.contentType == "application/x-www-form-urlencoded; charset=utf-8")
    }

    @Test func ec2ListsAndFiltersAreNumberedFlat() {
        // setup
        var request = AWSQueryRequest(action: "DescribeInstances", version: "2016-11-15", listStyle: .ec2)
        // act
        request.add("InstanceId", ["i-1", "i-2"])
        request.add(
            "Filter",
            [
                ["Name": "tag:env", "Value": ["prod", "staging"]],
                ["Name": "instance-state-name", "Value": ["running"]],
            ])
        request.add("MaxResults", 5)
        // assert
        #expect(
            request.parameters.map { "\($0.name)=\($0.value)" } == [
                "Action=DescribeInstances", "Version=2016-11-15", "InstanceId.1=i-1", "InstanceId.2=i-2",
                "Filter.1.Name=tag:env", "Filter.1.Value.1=prod", "Filter.1.Value.2=staging",
                "Filter.2.Name=instance-state-name", "Filter.2.Value.1=running", "MaxResults=5",
            ])
        #expect(request.formBody.contains("&Filter.1.Name=tag%3Aenv&"))
    }

    @Test func stsListsUseMemberNumbering() {
        // setup
        var request = AWSQueryRequest(action: "AssumeRole", version: "2011-06-15", listStyle: .member)
        // act
        request.add("RoleArn", "arn:aws-us-gov:iam::123456789012:role/ops")
        request.add("RoleSessionName", "pcm-ops")
        request.add("PolicyArns", [["arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"]])
        request.add("Tags", [["Key": "team", "Value": "sre"], ["Key": "ticket", "Value": "CHG 42+1"]])
        // assert
        #expect(
            request.formBody
                == "Action=AssumeRole&Version=2011-06-15"
                + "&RoleArn=arn%3Aaws-us-gov%3Aiam%3A%3A123456789012%3Arole%2Fops&RoleSessionName=pcm-ops"
                + "&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess"
                + "&Tags.member.1.Key=team&Tags.member.1.Value=sre"
                + "&Tags.member.2.Key=ticket&Tags.member.2.Value=CHG%2042%2B1")
    }

    @Test func anEmptyListIsSentInMemberStyleAndOmittedInEC2Style() {
        // setup
        var member = AWSQueryRequest(action: "AssumeRole", version: "2011-06-15", listStyle: .member)
        var ec2 = AWSQueryRequest(action: "DescribeInstances", version: "2016-11-15", listStyle: .ec2)
        // act
        member.add("TransitiveTagKeys", [])
        ec2.add("InstanceId", [])
        // assert
        #expect(member.formBody.hasSuffix("&TransitiveTagKeys="))
        #expect(ec2.formBody == "Action=DescribeInstances&Version=2016-11-15")
    }

    @Test func literalsBecomeWireStrings() {
        // setup
        var request = AWSQueryRequest(action: "A", version: "1", listStyle: .ec2)
        let id = 7
        // act
        request.add("DryRun", true)
        request.add("Verbose", false)
        request.add("Count", 3)
        request.add("Name", "web-\(id)")
        // assert
        #expect(request.formBody == "Action=A&Version=1&DryRun=true&Verbose=false&Count=3&Name=web-7")
    }

    @Test func valuesAreEncodedAsSigV4EncodesThem() {
        // setup
        var request = AWSQueryRequest(action: "A", version: "1", listStyle: .member)
        // act
        request.add("Text", "a b+c&d=e/ü~*")
        // assert: %20 not +, so a literal + survives any form decoder
        #expect(request.formBody.hasSuffix("&Text=a%20b%2Bc%26d%3De%2F%C3%BC~%2A"))
    }

    @Test func nestedStructuresAndListsCompose() {
        // setup
        var request = AWSQueryRequest(action: "A", version: "1", listStyle: .ec2)
        // act
        request.add("Spec", ["Outer": ["Inner": ["x", "y"]], "Flag": true])
        // assert: fields in name order, lists numbered below them
        #expect(request.formBody == "Action=A&Version=1&Spec.Flag=true&Spec.Outer.Inner.1=x&Spec.Outer.Inner.2=y")
    }
}
