"""Runs on EC2 instances through SSM, end to end: 120 instances in moto over us-east-1 and us-gov-west-1, two
accounts reached by AssumeRole, synced as targets through the API, run through the SSM emulator on the loopback
sshd (real outputs and exit codes) with batching, throttling storms, cancel and delivery timeouts."""
import os
import signal
import sqlite3
import time

import pytest
import requests

from aws_world import (MOTO, ROLE, SCOPES, SSH, Emulator, create_instances, executions, fleet_entry, sends_needed,
                       server_env, wait_run)
from conftest import Server, cli
from test_run_cli import TOOLS

pytestmark = pytest.mark.skipif(not (MOTO and SSH), reason="needs moto_server and sshd (scripts/test starts both)")
PER_SCOPE = 60


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ssm")
    data_dir = str(tmp / "data")
    instances, names = [], {}
    for env, partition, account, region in SCOPES:
        ids = create_instances(partition, account, region, PER_SCOPE, f"web-{env}")
        instances += [fleet_entry(i, account, region) for i in ids]
        names[env] = ids
    emulator = Emulator(instances)
    environment = server_env(emulator.url, tmp)
    server = Server(data_dir, extra_args=("--tools-dir", TOOLS), env=environment)
    token = cli("token", "create", "--user", "admin", "--name", "ssm", data_dir=data_dir).stdout.split()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    for env, _, account, region in SCOPES:
        added = requests.post(server.url + "/api/v1/aws/accounts", headers=headers, json={
            "environment": env, "account_id": account, "name": f"{env}-prod", "role_name": ROLE})
        assert added.status_code == 201, added.text
        synced = requests.post(server.url + "/api/v1/aws/sync", headers=headers, json={
            "environment": env, "accounts": [account], "regions": [region]})
        assert synced.status_code == 200, synced.text
        assert len(synced.json()["added"]) == PER_SCOPE
    world = {"server": server, "headers": headers, "emulator": emulator, "ids": names, "data_dir": data_dir, "env": environment}
    yield world
    world["server"].stop()
    emulator.stop()


def targets_of(world, env=None):
    listed = requests.get(world["server"].url + "/api/v1/targets", headers=world["headers"]).json()
    items = listed["items"] if isinstance(listed, dict) else listed
    return sorted(t["name"] for t in items if t["transport"] == "ssm"
                  and (env is None or t["tags"].get("aws-environment") == env))


def start(world, action, targets, concurrency="100%", **parameters):
    response = requests.post(world["server"].url + "/api/v1/runs", headers=world["headers"], json={
        "tool": "testkit", "action": action, "targets": targets, "parameters": parameters,
        "max_concurrency": concurrency})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_instances_show_their_ssm_status_and_sync_copies_tags(world):
    url, headers = world["server"].url, world["headers"]
    listed = requests.get(url + "/api/v1/aws/instances", headers=headers, params={
        "environment": "gov", "account": "222222222222", "region": "us-gov-west-1", "tag": "role=web"}).json()
    assert listed["errors"] == [] and len(listed["instances"]) == PER_SCOPE
    assert {i["ssm_ping"] for i in listed["instances"]} == {"Online"}
    assert all(i["target"] for i in listed["instances"])
    tested = requests.post(url + f"/api/v1/targets/{listed['instances'][0]['target']}/test", headers=headers).json()
    assert tested["ok"] is True and "Online" in tested["message"], tested
    target = requests.get(url + f"/api/v1/targets/{listed['instances'][0]['target']}", headers=headers).json()
    assert target["tags"]["aws-environment"] == "gov" and target["tags"]["aws_cloudformation_stack-name"] == "stack a_b"
    assert (target["transport"], target["instance_id"], target["aws_region"], target["aws_account"]) == (
        "ssm", listed["instances"][0]["instance_id"], "us-gov-west-1", "222222222222")
    again = requests.post(url + "/api/v1/aws/sync", headers=headers, json={
        "environment": "gov", "accounts": ["222222222222"], "regions": ["us-gov-west-1"]}).json()
    assert again["added"] == [] and len(again["unchanged"]) == PER_SCOPE
    other = requests.get(url + "/api/v1/aws/instances", headers=headers, params={
        "environment": "gov", "region": "us-east-1"})
    assert other.status_code == 422 and "not a region of environment gov" in other.json()["detail"]
    bad = requests.get(url + "/api/v1/aws/instances", headers=headers, params={
        "environment": "gov", "region": "US-GOV-WEST-1"})
    assert bad.status_code == 400 and "region" in bad.json()["detail"]


def test_a_run_on_120_instances_in_two_partitions_is_batched_50_per_command(world):
    emulator = world["emulator"]
    emulator.control("/_emulator/reset-stats", {})
    targets = targets_of(world)
    assert len(targets) == 2 * PER_SCOPE
    run = wait_run(world["server"].url, world["headers"], start(world, "echo", targets, value="hello from ssm"))
    assert run["status"] == "succeeded", run
    rows = executions(world["server"].url, world["headers"], run["id"])
    assert len(rows) == 2 * PER_SCOPE
    assert all(r["status"] == "succeeded" and r["stdout"] == "hello from ssm" and r["exit_code"] == 0 for r in rows)
    assert all(r["ssm_command_id"] for r in rows)
    stats = emulator.control("/_emulator/stats")
    assert stats["calls"]["SendCommand"] == sends_needed([PER_SCOPE, PER_SCOPE])
    assert max(stats["instances_per_send"]) <= 50
    commands = {r["ssm_command_id"] for r in rows}
    assert len(commands) == stats["calls"]["SendCommand"]
    # A rolling window of 10 still batches: targets that start within the batch window share a command.
    emulator.control("/_emulator/reset-stats", {})
    run = wait_run(world["server"].url, world["headers"], start(world, "echo", targets[:40], concurrency="10",
                                                               value="windowed"))
    assert run["status"] == "succeeded"
    assert max(emulator.control("/_emulator/stats")["instances_per_send"]) <= 10
    with sqlite3.connect(os.path.join(world["data_dir"], "pcm-ops.sqlite")) as db:
        stored = db.execute("SELECT COUNT(*) FROM executions WHERE ssm_command_id IS NOT NULL").fetchone()[0]
    assert stored >= 2 * PER_SCOPE


def test_exit_codes_and_stderr_are_real(world):
    targets = targets_of(world, "com")[:3]
    run = wait_run(world["server"].url, world["headers"], start(world, "exit", targets, code=3))
    assert run["status"] == "failed"
    for row in executions(world["server"].url, world["headers"], run["id"]):
        assert row["status"] == "failed" and row["exit_code"] == 3
        assert "exiting with 3" in row["stdout"] and "to stderr" in row["stderr"]


def test_a_throttling_storm_only_slows_the_run(world):
    emulator = world["emulator"]
    emulator.control("/_emulator/reset-stats", {})
    emulator.control("/_emulator/throttle", {"count": 8, "operations": ["SendCommand", "ListCommandInvocations",
                                                                         "GetCommandInvocation"]})
    targets = targets_of(world, "gov")[:10]
    run = wait_run(world["server"].url, world["headers"], start(world, "echo", targets, value="still here"))
    assert run["status"] == "succeeded", run
    assert emulator.control("/_emulator/stats")["throttled"] == 8
    emulator.control("/_emulator/throttle", {"count": 0})


def test_cancel_stops_the_commands_in_ssm(world):
    url, headers = world["server"].url, world["headers"]
    targets = targets_of(world, "com")[:4]
    run_id = start(world, "sleep", targets, seconds=60)
    deadline = time.monotonic() + 60
    while not any(c["Status"] == "InProgress" and c["TargetCount"] == 4
                  for c in world["emulator"].control("/_emulator/commands")["commands"]):
        assert time.monotonic() < deadline
        time.sleep(0.3)
    started = time.monotonic()
    assert requests.post(f"{url}/api/v1/runs/{run_id}/cancel", headers=headers).status_code in (200, 202)
    run = wait_run(url, headers, run_id, timeout=60)
    assert run["status"] == "cancelled" and time.monotonic() - started < 30
    rows = executions(url, headers, run_id)
    assert all(r.get("ssm_command_id") for r in rows), rows
    command_ids = {r["ssm_command_id"] for r in rows}
    deadline = time.monotonic() + 10
    while True:
        commands = {c["CommandId"]: c for c in world["emulator"].control("/_emulator/commands")["commands"]}
        if all(commands[c]["Status"] == "Cancelled" for c in command_ids) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert all(commands[c]["Status"] == "Cancelled" for c in command_ids), [commands[c] for c in command_ids]


def test_an_offline_agent_ends_delivery_timed_out(world):
    emulator = world["emulator"]
    instance = world["ids"]["gov"][-1]
    emulator.control(f"/_emulator/instances/{instance}", {"ping": "ConnectionLost"})
    emulator.control("/_emulator/settings", {"delivery_timeout_scale": 0.005})
    try:
        listed = requests.get(world["server"].url + "/api/v1/aws/instances", headers=world["headers"], params={
            "environment": "gov", "account": "222222222222", "region": "us-gov-west-1",
            "instance_id": instance}).json()
        assert listed["instances"][0]["ssm_ping"] == "ConnectionLost"
        target = listed["instances"][0]["target"]
        tested = requests.post(world["server"].url + f"/api/v1/targets/{target}/test", headers=world["headers"]).json()
        assert tested["ok"] is False and "ConnectionLost" in tested["message"]
        run = wait_run(world["server"].url, world["headers"], start(world, "echo", [target], value="x"))
        row = executions(world["server"].url, world["headers"], run["id"])[0]
        assert row["status"] == "failed" and "DeliveryTimedOut" in row["error"]
    finally:
        emulator.control(f"/_emulator/instances/{instance}", {"ping": "Online"})
        emulator.control("/_emulator/settings", {"delivery_timeout_scale": 1.0})


def test_a_restart_mid_run_resumes_polling_and_loses_no_target(world):
    """Kill -9 the server while SSM runs the commands: the next server polls the recorded commands again (no
    second SendCommand) and stores what the instances really did."""
    emulator = world["emulator"]
    targets = targets_of(world, "gov")[:5]
    run_id = start(world, "sleep", targets, seconds=6)
    deadline = time.monotonic() + 60
    while not any(c["Status"] == "InProgress" and c["TargetCount"] == 5
                  for c in emulator.control("/_emulator/commands")["commands"]):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    sends = emulator.control("/_emulator/stats")["calls"]["SendCommand"]
    world["server"].stop(sig=signal.SIGKILL)
    world["server"] = Server(world["data_dir"], extra_args=("--tools-dir", TOOLS), env=world["env"])
    run = wait_run(world["server"].url, world["headers"], run_id, timeout=120)
    rows = executions(world["server"].url, world["headers"], run_id)
    assert run["status"] == "succeeded", (run, rows)
    assert all(r["status"] == "succeeded" and "done" in r["stdout"] for r in rows), rows
    assert emulator.control("/_emulator/stats")["calls"]["SendCommand"] == sends
