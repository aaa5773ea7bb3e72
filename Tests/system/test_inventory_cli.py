"""Inventory from the CLI against real sshd: import, known hosts, targets, groups, test connection."""
import json
import os
import subprocess

import pytest

from conftest import cli

SSH = json.load(open(os.environ["PCMOPS_TEST_SSH"])) if os.environ.get("PCMOPS_TEST_SSH") else None
needs_sshd = pytest.mark.skipif(SSH is None, reason="scripts/test starts sshd")


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


@needs_sshd
def test_import_trust_and_test_a_fleet(data_dir, tmp_path):
    inventory = write(tmp_path / "hosts.yml", f"""
all:
  children:
    lab:
      vars:
        ansible_user: {SSH['user']}
        ansible_ssh_private_key_file: {SSH['keys']}/id_ed25519
      hosts:
        lab[1:3]:
          ansible_host: 127.0.0.1
          ansible_port: {SSH['port']}
          env: test
""")
    dry = cli("inventory", "import", str(inventory), "--dry-run", data_dir=data_dir)
    assert "Dry run" in dry.stdout and "added 3" in dry.stdout
    assert json.loads(cli("targets", "list", "--output", "json", data_dir=data_dir).stdout) == []

    imported = cli("inventory", "import", str(inventory), "--output", "json", data_dir=data_dir)
    report = json.loads(imported.stdout)
    assert sorted(report["added"]) == ["lab1", "lab2", "lab3"]
    assert len(report["credentials_added"]) == 1
    again = json.loads(cli("inventory", "import", str(inventory), "--output", "json", data_dir=data_dir).stdout)
    assert sorted(again["unchanged"]) == ["lab1", "lab2", "lab3"]

    # Strict host keys: nothing is trusted yet, so the test fails at the host key stage.
    failed = cli("targets", "test", "--group", "lab", "--output", "json", data_dir=data_dir, check=False)
    assert failed.returncode == 1
    assert {r["failed_stage"] for r in json.loads(failed.stdout)} == {"host_key"}

    scan = subprocess.run(["ssh-keyscan", "-p", str(SSH["port"]), "127.0.0.1"], capture_output=True, text=True).stdout
    known = write(tmp_path / "known_hosts", scan)
    trusted = cli("known-hosts", "import", str(known), data_dir=data_dir)
    assert "added" in trusted.stdout

    ok = cli("targets", "test", "--group", "lab", data_dir=data_dir)
    assert ok.stdout.count(" ok ") == 3, ok.stdout

    listed = json.loads(cli("targets", "list", "--selector", "env=test", "--output", "json", data_dir=data_dir).stdout)
    assert [t["name"] for t in listed] == ["lab1", "lab2", "lab3"]


def test_targets_and_groups_by_hand(data_dir):
    cli("targets", "add", "app01", "--address", "10.0.0.7", "--tags", "env=prod,role=app", data_dir=data_dir)
    cli("groups", "add", "apps", "--selector", "role=app", data_dir=data_dir)
    groups = json.loads(cli("groups", "list", "--output", "json", data_dir=data_dir).stdout)
    assert groups[0]["members"] == ["app01"]
    cli("targets", "rm", "app01", data_dir=data_dir)
    assert json.loads(cli("targets", "list", "--output", "json", data_dir=data_dir).stdout) == []


@pytest.mark.parametrize("args,expected", [
    (["targets", "add", "x1", "--transport", "telnet"], "transport"),
    (["targets", "add", "x1", "--port", "0"], "port"),
    (["targets", "add", "bad name"], "name"),
    (["targets", "add", "x1", "--transport", "local"], "--allow-local"),
    (["targets", "rm", "ghost"], "no target named 'ghost'"),
    (["targets", "list", "--os", "beos"], "--os"),
    (["targets", "test"], "targets"),
    (["groups", "add", "g1", "--members", "ghost"], "ghost"),
    (["inventory", "import", "/nonexistent.yml"], "cannot read FILE"),
    (["inventory", "import", "/etc/hostname", "--format", "xml"], "--format"),
    (["credentials", "add", "c1", "--username", "u"], "--key-file"),
    (["credentials", "add", "c1", "--username", "u", "--key-file", "/etc/hostname"], "private_key"),
])
def test_inventory_cli_errors(data_dir, args, expected):
    result = cli(*args, data_dir=data_dir, check=False)
    assert result.returncode != 0
    assert expected in result.stderr, result.stderr
    assert "Fatal error" not in result.stderr


def test_bad_inventory_file_changes_nothing(data_dir, tmp_path):
    bad = write(tmp_path / "bad.yml", "all:\n  hosts:\n    a:\n  - oops\n")
    result = cli("inventory", "import", str(bad), data_dir=data_dir, check=False)
    assert result.returncode != 0
    assert "line" in result.stderr
    assert json.loads(cli("targets", "list", "--output", "json", data_dir=data_dir).stdout) == []


def test_rejected_rows_exit_1_with_line_numbers(data_dir, tmp_path):
    csv = write(tmp_path / "hosts.csv", "name,address,port\nok1,10.0.0.1,22\nbad1,10.0.0.2,99999\n")
    result = cli("inventory", "import", str(csv), data_dir=data_dir, check=False)
    assert result.returncode == 1
    assert "line 3 (bad1)" in result.stdout
    assert "added 1" in result.stdout
