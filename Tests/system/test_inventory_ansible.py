"""Ansible inventories imported by pcm-ops, compared with what ansible-core (PyPI) makes of them.

Each file under Tests/fixtures/inventories/ is written from Ansible's documented syntax. Ansible's view comes
from `ansible-inventory --list` and its own connection-option resolution (ansible_reference.py); pcm-ops's from
`pcm-ops inventory import` into a fresh data directory, then `targets list` and `groups list`."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import cli, clean_env

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "inventories")
CORPUS = sorted(name for name in os.listdir(FIXTURES) if name.endswith((".ini", ".yml", ".yaml")))
TRANSPORTS = {"ssh": "ssh", "paramiko_ssh": "ssh", "winrm": "winrm", "psrp": "winrm", "local": "local"}
DEFAULT_PORTS = {"ssh": 22, "winrm": 5986}


def ansible_missing():
    """Why Ansible cannot be asked, or None."""
    probe = subprocess.run([sys.executable, "-c", "import ansible.cli.inventory"], capture_output=True, text=True)
    if probe.returncode != 0:
        return "ansible-core is not installed for this python3 (scripts/lib/deps.sh installs it from PyPI)"
    beside = os.path.join(os.path.dirname(sys.executable), "ansible-inventory")
    if not os.path.exists(beside) and shutil.which("ansible-inventory") is None:
        return "ansible-inventory is not on PATH (scripts/lib/deps.sh installs ansible-core from PyPI)"
    return None


needs_ansible = pytest.mark.skipif(ansible_missing() is not None, reason=str(ansible_missing()))


def ansible_view(path, tmp_path):
    """{host: {groups, transport, address, port, user}} as Ansible sees them; None where Ansible has none."""
    home = tmp_path / "ansible-home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update(HOME=str(home), ANSIBLE_LOCAL_TEMP=str(home / "tmp"))
    result = subprocess.run(
        [sys.executable, os.path.join(HERE, "ansible_reference.py"), path], capture_output=True, text=True,
        env=env, cwd=str(home), timeout=120)
    assert result.returncode == 0, result.stderr
    view = {}
    for host, seen in json.loads(result.stdout).items():
        transport = TRANSPORTS[seen["connection"]]
        local = transport == "local"
        view[host] = {
            "groups": seen["groups"], "transport": transport,
            # A local host has no address or port in Ansible; pcm-ops keeps its name as the address.
            "address": host if local else seen["address"],
            "port": None if local else (seen["port"] or DEFAULT_PORTS[transport]),
            "user": seen["user"],
        }
        if "scheme" in seen:
            view[host]["scheme"] = seen["scheme"]
    return view


def pcm_ops_import(path, data_dir, env, *extra):
    imported = cli("inventory", "import", path, "--output", "json", *extra, data_dir=data_dir, env=env, check=False)
    return imported, json.loads(imported.stdout) if imported.stdout.strip().startswith("{") else None


def pcm_ops_view(data_dir, env):
    targets = json.loads(cli("targets", "list", "--output", "json", data_dir=data_dir, env=env).stdout)
    groups = json.loads(cli("groups", "list", "--output", "json", data_dir=data_dir, env=env).stdout)
    membership = {}
    for group in groups:
        for member in group["members"]:
            membership.setdefault(member, []).append(group["name"])
    view = {
        target["name"]: {
            "groups": sorted(membership.get(target["name"], [])), "transport": target["transport"],
            "address": target["address"],
            "port": None if target["transport"] == "local" else target["port"],
            "user": target["username"],
        }
        for target in targets
    }
    for target in targets:
        if "winrm" in target:
            view[target["name"]]["scheme"] = target["winrm"]["url"].split(":", 1)[0]
    return view


@needs_ansible
@pytest.mark.parametrize("name", CORPUS)
def test_pcm_ops_imports_what_ansible_sees(name, data_dir, tmp_path):
    # setup
    path = os.path.join(FIXTURES, name)
    expected = ansible_view(path, tmp_path)
    env = clean_env(PCMOPS_ALLOW_LOCAL="true")

    # act
    imported, report = pcm_ops_import(path, data_dir, env)
    actual = pcm_ops_view(data_dir, env)

    # assert: every host imported, and each as Ansible would connect to it.
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert report["rejected"] == []
    assert sorted(actual) == sorted(expected)
    differences = {host: {"ansible": expected[host], "pcm-ops": actual[host]}
                   for host in expected if expected[host] != actual[host]}
    assert differences == {}


@needs_ansible
def test_hosts_written_as_a_list_lose_only_that_entry(data_dir, tmp_path):
    # setup: Ansible refuses this whole file; pcm-ops refuses the one section and imports the rest.
    path = tmp_path / "list.yml"
    path.write_text("all:\n  children:\n    web:\n      hosts:\n        - web1\n    db:\n      hosts:\n        db1:\n")
    refused = subprocess.run(["ansible-inventory", "-i", str(path), "--list"], capture_output=True, text=True,
                             cwd=str(tmp_path))
    assert "requires a dictionary" in refused.stderr

    # act
    imported, report = pcm_ops_import(str(path), data_dir, clean_env())

    # assert
    assert imported.returncode == 1
    assert report["added"] == ["db1"]
    assert [(r["line"], r.get("name")) for r in report["rejected"]] == [(4, None)]
    assert "hosts of 'web' is a list" in report["rejected"][0]["reason"]


def test_local_hosts_are_refused_naming_what_works_for_the_cli(data_dir):
    # act
    imported, report = pcm_ops_import(os.path.join(FIXTURES, "local-connection.ini"), data_dir, clean_env())

    # assert: the remote hosts are imported; the local ones say how to allow them from this command.
    assert imported.returncode == 1
    assert sorted(report["added"]) == ["far1", "far2"]
    assert sorted(r["name"] for r in report["rejected"]) == ["control", "localhost"]
    for rejection in report["rejected"]:
        assert "PCMOPS_ALLOW_LOCAL=true" in rejection["reason"], rejection
    added = cli("targets", "add", "x1", "--transport", "local", data_dir=data_dir, check=False)
    assert added.returncode != 0 and "PCMOPS_ALLOW_LOCAL=true" in added.stderr, added.stderr


def test_default_user_is_said_and_can_be_chosen(data_dir, tmp_path):
    # setup
    path = tmp_path / "hosts.ini"
    path.write_text("[app]\napp01 ansible_host=192.0.2.1\napp02 ansible_host=192.0.2.2 ansible_user=alice\n")

    # act: without a default user, then with one
    plain = cli("inventory", "import", str(path), "--dry-run", data_dir=data_dir)
    chosen = cli("inventory", "import", str(path), "--default-user", "deploy", data_dir=data_dir)
    listed = json.loads(cli("targets", "list", "--output", "json", data_dir=data_dir).stdout)

    # assert
    assert ("default user: 1 host without ansible_user logs in as their credential's user (root for a key or "
            "password read from the file); choose one with --default-user NAME") in plain.stdout
    assert "default user: 1 host without ansible_user logs in as deploy, the default user given" in chosen.stdout
    assert {t["name"]: t["username"] for t in listed} == {"app01": "deploy", "app02": "alice"}
    table = cli("targets", "list", data_dir=data_dir).stdout
    assert "USER" in table.splitlines()[0] and "alice" in table


@pytest.mark.parametrize("user", ["a b", "x@y", "u" * 65, ""])
def test_bad_default_user_is_refused(data_dir, tmp_path, user):
    path = tmp_path / "hosts.ini"
    path.write_text("app01\n")
    result = cli("inventory", "import", str(path), "--default-user", user, data_dir=data_dir, check=False)
    assert result.returncode != 0
    assert "invalid --default-user" in result.stderr, result.stderr
    assert json.loads(cli("targets", "list", "--output", "json", data_dir=data_dir).stdout) == []


def test_tilde_key_files_are_read_from_home_and_missing_ones_only_warn(data_dir, tmp_path):
    # setup: a HOME with ~/.ssh/id_ops; one host names it, another names a key that is not there.
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(home / ".ssh" / "id_ops")], check=True)
    path = tmp_path / "hosts.ini"
    path.write_text(
        "[app]\n"
        "keyed ansible_host=127.0.0.1 ansible_port=9 ansible_user=ops ansible_ssh_private_key_file=~/.ssh/id_ops\n"
        "keyless ansible_host=127.0.0.1 ansible_port=9 ansible_ssh_private_key_file=~/.ssh/missing\n")
    env = clean_env(HOME=str(home))

    # act
    imported, report = pcm_ops_import(str(path), data_dir, env)
    tested = cli("targets", "test", "keyless", "--output", "json", data_dir=data_dir, env=env, check=False)

    # assert: both hosts imported; the missing key is a warning, and the connection test says what is missing.
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert sorted(report["added"]) == ["keyed", "keyless"]
    assert report["credentials_added"] == ["key-id_ops"]
    assert [(w["name"], w["reason"]) for w in report["warnings"]] == [
        ("keyless", "ansible_ssh_private_key_file: cannot read ~/.ssh/missing")]
    listed = {t["name"]: t for t in json.loads(cli("targets", "list", "--output", "json", data_dir=data_dir).stdout)}
    assert listed["keyed"]["credential"] == "key-id_ops" and listed["keyed"]["username"] == "ops"
    assert listed["keyless"]["credential"] is None
    result = json.loads(tested.stdout)[0]
    assert tested.returncode == 1
    assert result["failed_stage"] == "authentication"
    assert result["message"].startswith("no credential"), result
