"""An AWS world for the system suites: moto_server (STS, EC2, Organizations; started by scripts/test) holds the
instances, the SSM emulator (Tests/ssm_emulator) runs their commands on the loopback sshd, and a pcm-ops server
points at both through AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_SSM. STS goes through the emulator too
(AWS_ENDPOINT_URL_STS), which relays it to moto and so learns every assumed-role key the server is given."""
import json
import math
import os
import subprocess
import sys
import time

import boto3
import requests

from conftest import Server, clean_env, cli

MOTO = os.environ.get("PCMOPS_TEST_MOTO_URL")
SSH = json.load(open(os.environ["PCMOPS_TEST_SSH"])) if os.environ.get("PCMOPS_TEST_SSH") else None
EMULATOR = os.path.join(os.path.dirname(__file__), "../ssm_emulator/ssm_emulator.py")
BASE_KEYS = {"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key": "base-secret"}
ROLE = "PCMOpsRole"
SCOPES = [("com", "aws", "111111111111", "us-east-1"), ("gov", "aws-us-gov", "222222222222", "us-gov-west-1")]


def assumed_keys(partition, account, region):
    sts = boto3.client("sts", endpoint_url=MOTO, region_name=region, **BASE_KEYS)
    creds = sts.assume_role(RoleArn=f"arn:{partition}:iam::{account}:role/{ROLE}", RoleSessionName="test-setup")
    c = creds["Credentials"]
    return {"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretAccessKey"],
            "aws_session_token": c["SessionToken"]}


def create_instances(partition, account, region, count, prefix):
    """Linux instances in moto, in `account` (reached by assuming the role, as the server will)."""
    ec2 = boto3.client("ec2", endpoint_url=MOTO, region_name=region, **assumed_keys(partition, account, region))
    image = next(i["ImageId"] for i in ec2.describe_images()["Images"] if i.get("Platform") != "windows")
    ids = []
    while len(ids) < count:
        batch = min(50, count - len(ids))
        made = ec2.run_instances(ImageId=image, MinCount=batch, MaxCount=batch, InstanceType="t3.micro",
                                 TagSpecifications=[{"ResourceType": "instance", "Tags": [
                                     {"Key": "Name", "Value": f"{prefix}-{len(ids)}"}, {"Key": "role", "Value": "web"},
                                     {"Key": "aws:cloudformation:stack-name", "Value": "stack a,b"}]}])
        ids += [i["InstanceId"] for i in made["Instances"]]
    return ids


class Emulator:
    def __init__(self, instances):
        fleet = {"credentials": [], "instances": instances}
        self.fleet_path = f"/tmp/pcmops-ssm-fleet-{os.getpid()}-{time.monotonic_ns()}.json"
        with open(self.fleet_path, "w") as f:
            json.dump(fleet, f)
        self.process = subprocess.Popen([sys.executable, EMULATOR, "--fleet", self.fleet_path, "--moto-url", MOTO],
                                        stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().split()[-1]

    def control(self, path, body=None):
        if body is None:
            return requests.get(self.url + path, timeout=10).json()
        return requests.post(self.url + path, json=body, timeout=10).json()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        os.unlink(self.fleet_path)


def ssh_entry():
    """How the emulator reaches the loopback sshd: key, and a known_hosts file of the server's own host keys (the
    emulator checks host keys strictly, like everything else here)."""
    known_hosts = f"/tmp/pcmops-ssm-known-hosts-{SSH['port']}"
    with open(known_hosts, "w") as f:
        for path in SSH["target_host_keys"]:
            key_type, key = open(path).read().split()[:2]
            f.write(f"[127.0.0.1]:{SSH['port']} {key_type} {key}\n")
    return {"host": "127.0.0.1", "port": SSH["port"], "user": SSH["user"], "key": f"{SSH['keys']}/id_ed25519",
            "known_hosts": known_hosts}


def fleet_entry(instance_id, account, region):
    return {"instance_id": instance_id, "account": account, "region": region, "platform": "Linux", "ping": "Online",
            "ssh": ssh_entry()}


def server_env(emulator_url, tmp_path, **extra):
    return clean_env(AWS_ENDPOINT_URL=MOTO, AWS_ENDPOINT_URL_SSM=emulator_url, AWS_ENDPOINT_URL_STS=emulator_url, HOME=str(tmp_path),
                     AWS_ACCESS_KEY_ID=BASE_KEYS["aws_access_key_id"],
                     AWS_SECRET_ACCESS_KEY=BASE_KEYS["aws_secret_access_key"], **extra)


def wait_run(url, headers, run_id, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = requests.get(f"{url}/api/v1/runs/{run_id}", headers=headers).json()
        if run["status"] not in ("queued", "running"):
            return run
        time.sleep(0.3)
    raise AssertionError(f"run {run_id} did not finish: {run}")


def executions(url, headers, run_id):
    return requests.get(f"{url}/api/v1/runs/{run_id}/executions", headers=headers).json()


def sends_needed(per_scope):
    return sum(math.ceil(n / 50) for n in per_scope)
