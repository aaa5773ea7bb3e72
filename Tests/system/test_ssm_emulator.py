"""The SSM emulator itself, through botocore with real SigV4: it must behave as AWS documents, or the transport
tests prove nothing."""
import json
import os
import subprocess
import sys
import time

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

from aws_world import ssh_entry

SSH = json.load(open(os.environ["PCMOPS_TEST_SSH"])) if os.environ.get("PCMOPS_TEST_SSH") else None
pytestmark = pytest.mark.skipif(SSH is None, reason="scripts/test starts sshd")
EMULATOR = os.path.join(os.path.dirname(__file__), "../ssm_emulator/ssm_emulator.py")
COM = {"access_key_id": "AKIAEMULATORCOM00001", "secret_access_key": "com-secret", "account": "111111111111",
       "partition": "aws"}
SSH_ENTRY = ssh_entry() if SSH else None
GOV = {"access_key_id": "AKIAEMULATORGOV00001", "secret_access_key": "gov-secret", "account": "222222222222",
       "partition": "aws-us-gov"}


def instance(n, account="111111111111", region="us-east-1", **extra):
    return {"instance_id": f"i-{n:017x}", "account": account, "region": region, "platform": "Linux", "ping": "Online",
            "ssh": SSH_ENTRY, **extra}


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    fleet = tmp_path_factory.mktemp("emu") / "fleet.json"
    fleet.write_text(json.dumps({"credentials": [COM, GOV], "instances": [instance(n) for n in range(6)] + [
        instance(100, "222222222222", "us-gov-west-1"), instance(200, "333333333333")]}))
    process = subprocess.Popen([sys.executable, EMULATOR, "--fleet", str(fleet)], stdout=subprocess.PIPE, text=True)
    url = process.stdout.readline().split()[-1]
    yield url
    process.terminate()
    process.wait(timeout=10)


def ssm(url, keys=COM, region="us-east-1", secret=None):
    return boto3.client("ssm", endpoint_url=url, region_name=region, aws_access_key_id=keys["access_key_id"],
                        aws_secret_access_key=secret or keys["secret_access_key"],
                        config=botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"}))


def control(url, path, body):
    import requests
    return requests.post(url + path, json=body, timeout=10).json()


def send(client, ids, commands, **extra):
    return client.send_command(DocumentName="AWS-RunShellScript", InstanceIds=ids,
                               Parameters={"commands": commands, **extra.pop("parameters", {})}, **extra)["Command"]


def wait(client, command_id, instance_id, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = client.get_command_invocation(CommandId=command_id, InstanceId=instance_id)
            if result["Status"] in ("Success", "Failed", "TimedOut", "Cancelled"):
                return result
        except ClientError as error:
            assert error.response["Error"]["Code"] == "InvocationDoesNotExist"
        time.sleep(0.1)
    raise AssertionError("did not finish")


def code_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response["Error"]["Code"]


def test_a_command_really_runs_and_reports_exit_code_and_output(emulator):
    client = ssm(emulator)
    command = send(client, ["i-00000000000000000"], ["echo out", "echo err >&2", "exit 7"])
    assert command["Status"] == "Pending"
    assert code_of(lambda: client.get_command_invocation(
        CommandId=command["CommandId"], InstanceId="i-00000000000000000")) == "InvocationDoesNotExist"
    result = wait(client, command["CommandId"], "i-00000000000000000")
    assert (result["Status"], result["StatusDetails"], result["ResponseCode"]) == ("Failed", "Failed", 7)
    assert result["StandardOutputContent"] == "out\n" and result["StandardErrorContent"] == "err\n"


def test_the_refusals_aws_documents(emulator):
    client = ssm(emulator)
    ids = [f"i-{n:017x}" for n in range(51)]
    assert code_of(lambda: send(client, ids, ["true"])) == "ValidationException"
    assert code_of(lambda: send(client, ["i-00000000000000099"], ["true"])) == "InvalidInstanceId"
    assert code_of(lambda: send(client, [f"i-{200:017x}"], ["true"])) == "InvalidInstanceId"  # other account
    assert code_of(lambda: send(client, [f"i-{100:017x}"], ["true"])) == "InvalidInstanceId"  # other region
    assert code_of(lambda: client.send_command(DocumentName="AWS-Nope", InstanceIds=["i-00000000000000000"],
                                               Parameters={"commands": ["x"]})) == "InvalidDocument"
    assert code_of(lambda: client.list_command_invocations(CommandId="00000000-0000-0000-0000-000000000000")) \
        == "InvalidCommandId"
    assert code_of(lambda: ssm(emulator, secret="wrong").list_commands()) == "InvalidSignatureException"
    assert code_of(lambda: ssm(emulator, region="us-gov-west-1").list_commands()) == "UnrecognizedClientException"


def test_govcloud_keys_work_in_govcloud(emulator):
    client = ssm(emulator, GOV, "us-gov-west-1")
    command = send(client, [f"i-{100:017x}"], ["echo gov"])
    assert wait(client, command["CommandId"], f"i-{100:017x}")["StandardOutputContent"] == "gov\n"


def test_list_pages_and_the_2500_24000_8000_character_cuts(emulator):
    client = ssm(emulator)
    ids = [f"i-{n:017x}" for n in range(5)]
    command = send(client, ids, ["head -c 30000 /dev/zero | tr '\\0' a", "head -c 9000 /dev/zero | tr '\\0' b >&2"])
    for instance_id in ids:
        result = wait(client, command["CommandId"], instance_id)
        assert len(result["StandardOutputContent"]) == 24000 and len(result["StandardErrorContent"]) == 8000
    first = client.list_command_invocations(CommandId=command["CommandId"], Details=True, MaxResults=2)
    assert len(first["CommandInvocations"]) == 2 and first["NextToken"]
    assert len(first["CommandInvocations"][0]["CommandPlugins"][0]["Output"]) == 2500
    rest = client.list_command_invocations(CommandId=command["CommandId"], MaxResults=2, NextToken=first["NextToken"])
    assert len(rest["CommandInvocations"]) == 2
    assert code_of(lambda: client.list_command_invocations(CommandId=command["CommandId"], NextToken="junk")) \
        == "InvalidNextToken"


def test_execution_timeout_and_cancel(emulator):
    client = ssm(emulator)
    timed = send(client, ["i-00000000000000001"], ["sleep 5"], parameters={"executionTimeout": ["1"]})
    result = wait(client, timed["CommandId"], "i-00000000000000001")
    assert (result["Status"], result["StatusDetails"]) == ("TimedOut", "ExecutionTimedOut")
    long = send(client, ["i-00000000000000002"], ["sleep 30"])
    time.sleep(1)
    client.cancel_command(CommandId=long["CommandId"])
    started = time.monotonic()
    result = wait(client, long["CommandId"], "i-00000000000000002")
    assert result["Status"] == "Cancelled" and time.monotonic() - started < 5


def test_delivery_timeout_for_an_offline_agent_and_instance_information(emulator):
    client = ssm(emulator)
    control(emulator, "/_emulator/instances/i-00000000000000003", {"ping": "ConnectionLost"})
    control(emulator, "/_emulator/settings", {"delivery_timeout_scale": 0.02})
    try:
        info = client.describe_instance_information(
            Filters=[{"Key": "InstanceIds", "Values": ["i-00000000000000003", "i-00000000000000004"]}])
        assert {i["InstanceId"]: i["PingStatus"] for i in info["InstanceInformationList"]} == {
            "i-00000000000000003": "ConnectionLost", "i-00000000000000004": "Online"}
        command = send(client, ["i-00000000000000003"], ["true"], TimeoutSeconds=60)
        result = wait(client, command["CommandId"], "i-00000000000000003")
        assert (result["Status"], result["StatusDetails"]) == ("TimedOut", "DeliveryTimedOut")
    finally:
        control(emulator, "/_emulator/instances/i-00000000000000003", {"ping": "Online"})
        control(emulator, "/_emulator/settings", {"delivery_timeout_scale": 1})


def test_injected_throttling(emulator):
    client = ssm(emulator)
    control(emulator, "/_emulator/throttle", {"count": 2, "operations": ["ListCommands"]})
    assert code_of(lambda: client.list_commands()) == "ThrottlingException"
    assert code_of(lambda: client.list_commands()) == "ThrottlingException"
    assert "Commands" in client.list_commands()


MOTO = os.environ.get("PCMOPS_TEST_MOTO_URL")


@pytest.mark.skipif(MOTO is None, reason="scripts/test starts moto_server")
def test_assumed_role_keys_are_known_at_once_through_the_sts_relay_and_by_lookup(tmp_path):
    """The CI flake of issue 17: keys the server got from AssumeRole were sometimes unknown here. Keys that pass
    through the relay are recorded before the client has them; keys minted at moto directly are found by lookup,
    also while other lookups run at the same time."""
    import concurrent.futures
    fleet = tmp_path / "fleet.json"
    fleet.write_text(json.dumps({"credentials": [], "instances": [instance(7, "222222222222", "us-gov-west-1"),
                                                                  instance(8, "111111111111", "us-east-1")]}))
    process = subprocess.Popen([sys.executable, EMULATOR, "--fleet", str(fleet), "--moto-url", MOTO],
                               stdout=subprocess.PIPE, text=True)
    url = process.stdout.readline().split()[-1]
    base = {"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key": "base-secret"}
    try:
        # Through the relay, GovCloud: the answer is moto's own, and the keys work at once.
        sts = boto3.client("sts", endpoint_url=url, region_name="us-gov-west-1", **base)
        creds = sts.assume_role(RoleArn="arn:aws-us-gov:iam::222222222222:role/Relay",
                                RoleSessionName="relay")["Credentials"]
        gov = boto3.client("ssm", endpoint_url=url, region_name="us-gov-west-1",
                           aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                           aws_session_token=creds["SessionToken"])
        ids = [i["InstanceId"] for i in gov.describe_instance_information()["InstanceInformationList"]]
        assert ids == [f"i-{7:017x}"]
        # A relayed STS error comes back as moto's error, not as the emulator's.
        import requests
        relayed = requests.post(url, data="Action=NoSuchAction&Version=2011-06-15", timeout=30, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sts/aws4_request, "
                             "SignedHeaders=host, Signature=00"})
        assert relayed.status_code >= 400 and "x-amz-json" not in relayed.headers.get("Content-Type", "")
        # Minted at moto directly: looked up, with 8 clients asking at once.
        direct = boto3.client("sts", endpoint_url=MOTO, region_name="us-east-1", **base)
        keys = [direct.assume_role(RoleArn="arn:aws:iam::111111111111:role/Direct",
                                   RoleSessionName=f"direct-{n}")["Credentials"] for n in range(8)]

        def ask(c):
            client = boto3.client("ssm", endpoint_url=url, region_name="us-east-1",
                                  aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                                  aws_session_token=c["SessionToken"])
            return [i["InstanceId"] for i in client.describe_instance_information()["InstanceInformationList"]]

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            assert list(pool.map(ask, keys)) == [[f"i-{8:017x}"]] * 8
        # A key nobody issued is still refused, and a GovCloud key is refused in a commercial region.
        stranger = dict(keys[0], AccessKeyId="ASIANOBODYISSUEDTHIS")
        with pytest.raises(ClientError) as info:
            ask(stranger)
        assert info.value.response["Error"]["Code"] == "UnrecognizedClientException"
        wrong = boto3.client("ssm", endpoint_url=url, region_name="us-east-1",
                             aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                             aws_session_token=creds["SessionToken"])
        assert code_of(lambda: wrong.list_commands()) == "UnrecognizedClientException"
    finally:
        process.terminate()
        process.wait(timeout=10)
