"""`pcm-ops run` and `pcm-ops runs` against real sshd: exit codes, JSON, ad hoc inventories, host
keys, Ctrl-C cancel, and crash recovery after the process is killed mid-run."""
import json
import re
import os
import signal
import subprocess
import time
import uuid

import pytest

from conftest import BINARY, Server, cli, clean_env

SSH = json.load(open(os.environ["PCMOPS_TEST_SSH"])) if os.environ.get("PCMOPS_TEST_SSH") else None
needs_sshd = pytest.mark.skipif(SSH is None, reason="scripts/test starts sshd")
TOOLS = os.path.join(os.path.dirname(__file__), "../fixtures/tools")


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return str(path)


def keyscan(tmp_path):
    text = subprocess.run(["ssh-keyscan", "-p", str(SSH["port"]), "127.0.0.1"], capture_output=True, text=True).stdout
    return write(tmp_path / "known_hosts", text)


def fleet(data_dir, tmp_path, count=3, trust=True):
    """Targets n1..nN on the test sshd in group `fleet`, plus `down` (nothing listens) outside it."""
    if trust:
        cli("known-hosts", "import", keyscan(tmp_path), data_dir=data_dir)
    cli("credentials", "add", "ed", "--username", SSH["user"], "--key-file", f"{SSH['keys']}/id_ed25519",
        "--set-default", data_dir=data_dir)
    rows = ["name,address,port,groups"] + [f"n{i},127.0.0.1,{SSH['port']},fleet" for i in range(1, count + 1)]
    rows.append("down,127.0.0.1,1,")
    cli("inventory", "import", write(tmp_path / "fleet.csv", "\n".join(rows) + "\n"), data_dir=data_dir)


def claim_marker():
    """A fresh marker path for testkit's claim step, where the sshd login user may create it."""
    return f"{SSH['dir']}/claim-{uuid.uuid4().hex}"


def run(data_dir, *args, check=False):
    return cli("run", *args, "--tools-dir", TOOLS, data_dir=data_dir, check=check)


def start_background(data_dir, *args):
    """Starts `pcm-ops run` and waits for its first line (the run id)."""
    process = subprocess.Popen([BINARY, "run", *args, "--tools-dir", TOOLS, "--data-dir", data_dir],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clean_env())
    line = process.stdout.readline()
    assert line.startswith("run r-"), line + process.stderr.read()
    return process, line.split()[1].rstrip(":")


def wait_running(data_dir, run_id, count):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        shown = json.loads(cli("runs", "show", run_id, "--output", "json", data_dir=data_dir).stdout)
        if shown["counts"]["running"] >= count:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} never had {count} running")


@needs_sshd
def test_ping_a_group_as_text_and_json(data_dir, tmp_path):
    fleet(data_dir, tmp_path)
    text = run(data_dir, "system.ping", "--group", "fleet", check=True)
    assert "system.ping: succeeded" in text.stdout
    assert len(re.findall(r"^n\d +ping +succeeded +0 +[\d.]+s +ok$", text.stdout, re.M)) == 3
    result = run(data_dir, "system.ping", "--group", "fleet", "--output", "json", check=True)
    report = json.loads(result.stdout)
    assert report["status"] == "succeeded" and report["counts"]["succeeded"] == 3
    assert [e["stdout"] for e in report["executions"]] == ["ok\n"] * 3
    listed = json.loads(cli("runs", "list", "--output", "json", data_dir=data_dir).stdout)
    assert [r["source"] for r in listed] == ["cli", "cli"]


@needs_sshd
def test_a_failed_target_makes_the_exit_status_2(data_dir, tmp_path):
    fleet(data_dir, tmp_path, count=1)
    result = run(data_dir, "system.ping", "--target", "n1", "--target", "down")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "partially_failed" in result.stdout
    assert "cannot reach 127.0.0.1:1: Connection refused" in result.stdout


@needs_sshd
def test_bad_input_names_the_field_and_runs_nothing(data_dir, tmp_path):
    fleet(data_dir, tmp_path, count=1)
    cases = [
        (["system.disk", "--target", "n1", "--param", "threshold=abc"], "parameters.threshold"),
        (["system.nope", "--target", "n1"], "tool 'system' has no action or workflow 'nope'"),
        (["system.ping", "--target", "ghost"], "targets: no target named 'ghost'"),
        (["system.ping", "--target", "n1", "--max-concurrency", "0"], "max_concurrency"),
        (["testkit.danger", "--target", "n1"], "confirm: testkit.danger is destructive"),
        (["testkit.echo", "--target", "n1", "--param", "value=a\x01b", "--param", "nope=1"], "parameters.nope"),
    ]
    for args, message in cases:
        result = run(data_dir, *args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert message in result.stderr, (args, result.stderr)
    assert json.loads(cli("runs", "list", "--output", "json", data_dir=data_dir).stdout) == []
    assert run(data_dir, "testkit.danger", "--target", "n1", "--yes").returncode == 0


@needs_sshd
def test_ad_hoc_inventory_with_limit_runs_without_importing(data_dir, tmp_path):
    cli("known-hosts", "import", keyscan(tmp_path), data_dir=data_dir)
    inventory = write(tmp_path / "hosts.ini", "\n".join(
        ["[web]"] + [f"web{i} ansible_host=127.0.0.1 ansible_port={SSH['port']}" for i in range(1, 4)] +
        ["[web:vars]", f"ansible_user={SSH['user']}", f"ansible_ssh_private_key_file={SSH['keys']}/id_ed25519"]) + "\n")
    result = run(data_dir, "system.ping", "-i", inventory, "--limit", "web*:!web2", "--output", "json", check=True)
    report = json.loads(result.stdout)
    assert [e["target"] for e in report["executions"]] == ["web1", "web3"]
    assert json.loads(cli("targets", "list", "--output", "json", data_dir=data_dir).stdout) == []
    missing = run(data_dir, "system.ping", "-i", inventory, "--limit", "db*")
    assert missing.returncode == 1 and "matches --limit 'db*'" in missing.stderr


@needs_sshd
def test_a_workflows_summary_counts_targets_and_each_steps_progress(data_dir, tmp_path):
    fleet(data_dir, tmp_path, count=3)
    # One target at a time: the first to reach step 2 (claim) fails there, the others succeed. The marker is
    # where the sshd login user may write.
    result = run(data_dir, "testkit.four-steps", "--group", "fleet", "--max-concurrency", "1",
                 "--param", f"marker={claim_marker()}", "--param", "value=hi")
    assert result.returncode == 2, result.stdout + result.stderr
    run_id = result.stdout.split()[1].rstrip(":")
    assert f"run {run_id} testkit.four-steps: partially_failed — 3 targets · 2 succeeded · 1 failed at step 2 (claim)\n" \
        in result.stdout
    assert "  step 1. echo: 3 of 3 through\n  step 2. claim: 3 of 3 through · 1 failed\n" in result.stdout
    assert "  step 3. echo: 3 of 3 through · 1 skipped\n  step 4. echo: 3 of 3 through · 1 skipped\n" in result.stdout
    shown = json.loads(cli("runs", "show", run_id, "--output", "json", data_dir=data_dir).stdout)
    assert shown["target_counts"] == {"succeeded": 2, "failed": 1, "timed_out": 0, "cancelled": 0, "skipped": 0,
                                      "interrupted": 0, "running": 0, "pending": 0}
    assert shown["counts"]["succeeded"] == 9 and shown["counts"]["skipped"] == 2, "counts stay per execution"
    assert [(s["action"], s["finished"], s["stopped"]["failed"]) for s in shown["steps"]] == [
        ("echo", 3, 0), ("claim", 3, 1), ("echo", 3, 0), ("echo", 3, 0)]
    listed = cli("runs", "list", data_dir=data_dir).stdout
    assert re.search(rf"^{run_id} +testkit.four-steps +partially_failed +3 +2 +1 ", listed, re.M), listed


@needs_sshd
def test_host_keys_are_checked_and_can_be_given_for_one_run(data_dir, tmp_path):
    fleet(data_dir, tmp_path, count=1, trust=False)
    refused = run(data_dir, "system.ping", "--target", "n1")
    assert refused.returncode == 2 and "host_key" in refused.stdout
    assert run(data_dir, "system.ping", "--target", "n1", "--known-hosts", keyscan(tmp_path)).returncode == 0
    assert run(data_dir, "system.ping", "--target", "n1").returncode == 2, "a one-run file is not stored"
    assert run(data_dir, "system.ping", "--target", "n1", "--accept-new").returncode == 0
    assert run(data_dir, "system.ping", "--target", "n1").returncode == 0, "accept-new stores the key"


@needs_sshd
def test_dry_run_shows_scripts_and_runs_nothing(data_dir, tmp_path):
    fleet(data_dir, tmp_path, count=2)
    result = run(data_dir, "testkit.secret", "--group", "fleet", "--param", "token=topsecret", "--dry-run", check=True)
    assert "export PARAM_TOKEN='***'" in result.stdout and "topsecret" not in result.stdout
    assert "n1" in result.stdout and "sh -s" in result.stdout
    assert json.loads(cli("runs", "list", "--output", "json", data_dir=data_dir).stdout) == []


@needs_sshd
def test_follow_streams_output_until_the_end(data_dir, tmp_path):
    fleet(data_dir, tmp_path, count=1)
    process, run_id = start_background(data_dir, "testkit.sleep", "--target", "n1", "--param", "seconds=2")
    followed = cli("runs", "show", run_id, "--follow", data_dir=data_dir)
    assert "n1 | started" in followed.stdout and "n1 | done" in followed.stdout
    assert "n1 sleep: succeeded\nrun finished: succeeded\n" in followed.stdout
    assert followed.stdout.index("n1 | done") < followed.stdout.index("run finished")
    assert process.wait(timeout=30) == 0


@needs_sshd
def test_ctrl_c_cancels_the_run_and_stops_the_scripts(data_dir, tmp_path):
    fleet(data_dir, tmp_path, count=2)
    process, run_id = start_background(data_dir, "testkit.sleep", "--group", "fleet", "--param", "seconds=120")
    wait_running(data_dir, run_id, 2)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 130
    shown = json.loads(cli("runs", "show", run_id, "--output", "json", data_dir=data_dir).stdout)
    assert shown["status"] == "cancelled"
    assert [e["status"] for e in shown["executions"]] == ["cancelled", "cancelled"]


@needs_sshd
def test_cancel_from_another_process(data_dir, tmp_path):
    fleet(data_dir, tmp_path, count=1)
    process, run_id = start_background(data_dir, "testkit.sleep", "--target", "n1", "--param", "seconds=120")
    wait_running(data_dir, run_id, 1)
    cancelled = cli("runs", "cancel", run_id, data_dir=data_dir)
    assert "cancel requested" in cancelled.stdout
    assert process.wait(timeout=20) == 130
    again = cli("runs", "cancel", run_id, data_dir=data_dir, check=False)
    assert again.returncode == 1 and "has already ended (cancelled)" in again.stderr


@needs_sshd
def test_a_killed_run_is_finished_when_pcm_ops_starts_again(data_dir, tmp_path):
    fleet(data_dir, tmp_path, count=2)
    process, run_id = start_background(data_dir, "testkit.sleep", "--group", "fleet", "--param", "seconds=120")
    wait_running(data_dir, run_id, 2)
    process.kill()
    process.wait()
    assert json.loads(cli("runs", "show", run_id, "--output", "json", data_dir=data_dir).stdout)["status"] == "running"
    server = Server(data_dir)
    try:
        shown = json.loads(cli("runs", "show", run_id, "--output", "json", data_dir=data_dir).stdout)
    finally:
        server.stop()
    assert shown["status"] == "failed"
    assert [e["status"] for e in shown["executions"]] == ["interrupted", "interrupted"]
    assert all(e["error"].startswith("interrupted: the process running this run") for e in shown["executions"])
    assert "recovered" in shown["note"]
    assert json.loads(cli("runs", "list", "--status", "running", "--output", "json", data_dir=data_dir).stdout) == []
