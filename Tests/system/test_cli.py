"""The CLI against a real data directory and a running server."""
import json

import pytest
import requests

from conftest import cli, login


def test_user_lifecycle(server, data_dir):
    added = cli("user", "add", "alice", "--role", "operator", "--password-stdin", data_dir=data_dir,
                stdin="alice has a long password\n")
    assert "Added user alice with role operator" in added.stdout
    assert login(server.url, "alice", "alice has a long password").last_status == 303

    users = json.loads(cli("user", "list", "--output", "json", data_dir=data_dir).stdout)
    assert {u["username"]: u["role"] for u in users} == {"admin": "admin", "alice": "operator"}

    cli("user", "role", "alice", "admin", data_dir=data_dir)
    cli("user", "disable", "alice", data_dir=data_dir)
    assert login(server.url, "alice", "alice has a long password").last_status == 401
    cli("user", "enable", "alice", data_dir=data_dir)
    changed = cli("user", "passwd", "alice", data_dir=data_dir)
    new_password = changed.stdout.strip().split("Password (shown once): ")[1]
    assert login(server.url, "alice", new_password).last_status == 303

    table = cli("user", "list", data_dir=data_dir).stdout
    assert "USERNAME" in table and "alice" in table



def test_generated_password_when_not_a_terminal(server, data_dir):
    result = cli("user", "add", "bob", "--role", "viewer", data_dir=data_dir)
    password = result.stdout.strip().split("Password (shown once): ")[1]
    assert login(server.url, "bob", password).last_status == 303


@pytest.mark.parametrize("args,expected", [
    (["user", "add", "carol", "--role", "superuser"], "--role"),
    (["user", "add", "bad name", "--role", "viewer"], "username may contain"),
    (["user", "add", "carol", "--role", "viewer", "--password", "short"], "at least 12"),
    (["user", "role", "ghost", "viewer"], "no user named 'ghost'"),
    (["user", "disable", "admin"], "last active admin"),
    (["token", "create", "--user", "ghost", "--name", "x"], "no user named 'ghost'"),
    (["token", "create", "--user", "admin", "--name", ""], "must not be empty"),
    (["token", "revoke", "not-a-uuid"], "invalid token id"),
    (["user", "list", "--output", "xml"], "--output"),
])
def test_cli_errors_name_the_problem(server, data_dir, args, expected):
    result = cli(*args, data_dir=data_dir, check=False)
    assert result.returncode != 0
    assert expected in result.stderr, result.stderr
    assert "Fatal error" not in result.stderr


def test_duplicate_user_is_an_error(server, data_dir):
    cli("user", "add", "dave", "--role", "viewer", "--password", "dave's long password", data_dir=data_dir)
    result = cli("user", "add", "dave", "--role", "viewer", "--password", "dave's long password", data_dir=data_dir,
                 check=False)
    assert result.returncode != 0
    assert "already exists" in result.stderr


def test_token_create_prints_the_token_last_and_it_works_until_revoked(server, data_dir):
    created = cli("token", "create", "--user", "admin", "--name", "automation", data_dir=data_dir)
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("pcmops_")
    me = requests.get(server.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["username"] == "admin"

    listed = json.loads(cli("token", "list", "--output", "json", data_dir=data_dir).stdout)
    assert listed[0]["name"] == "automation"
    assert token not in json.dumps(listed)
    cli("token", "revoke", listed[0]["id"], data_dir=data_dir)
    after = requests.get(server.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert after.status_code == 401
    assert after.headers["Content-Type"].startswith("application/problem+json")


def test_migrate_on_a_fresh_directory(data_dir):
    result = cli("migrate", data_dir=data_dir)
    assert "up to date" in result.stdout
    assert cli("migrate", data_dir=data_dir).returncode == 0


def test_cli_changes_are_audited_with_source_cli(server, data_dir):
    cli("user", "add", "erin", "--role", "viewer", data_dir=data_dir)
    admin = login(server.url, "admin", server.admin_password())
    token = cli("token", "create", "--user", "admin", "--name", "audit-reader", data_dir=data_dir).stdout.split()[-1]
    entries = requests.get(server.url + "/api/v1/audit?action=user.create",
                           headers={"Authorization": f"Bearer {token}"}).json()["items"]
    erin = [e for e in entries if e["object"] == "user:erin"]
    assert erin and erin[0]["source"] == "cli" and erin[0]["actor"].startswith("cli:")
    assert admin.get(server.url + "/admin/audit?action=user").status_code == 200
