"""The server as a user starts it: first start, restart, shutdown, configuration errors, PostgreSQL."""
import json
import os
import signal
import stat

import pytest
import requests

from conftest import Server, clean_env, cli, login


def test_first_start_prints_an_admin_password_that_signs_in(server):
    password = server.admin_password()
    assert password and len(password) >= 16
    session = login(server.url, "admin", password)
    assert session.last_status == 303
    dashboard = session.get(server.url + "/")
    assert dashboard.status_code == 200
    assert "Dashboard" in dashboard.text
    assert "Active users" in dashboard.text


def test_restart_keeps_the_admin_password_and_the_key(data_dir):
    first = Server(data_dir)
    password = first.admin_password()
    key_path = os.path.join(data_dir, "secret.key")
    with open(key_path, "rb") as f:
        key = f.read()
    assert first.stop() == 0

    second = Server(data_dir)
    try:
        assert second.admin_password() is None, "a restart must not print or change the password"
        assert login(second.url, "admin", password).last_status == 303
        with open(key_path, "rb") as f:
            assert f.read() == key
        assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(data_dir).st_mode) == 0o700
    finally:
        second.stop()


def test_sigterm_and_sigint_shut_down_cleanly(data_dir):
    for sig in (signal.SIGTERM, signal.SIGINT):
        srv = Server(data_dir)
        assert srv.stop(sig) == 0, srv.read_stderr()


def test_admin_password_from_the_environment(data_dir):
    srv = Server(data_dir, env=clean_env(PCMOPS_ADMIN_PASSWORD="an environment password"))
    try:
        assert srv.admin_password() is None
        assert login(srv.url, "admin", "an environment password").last_status == 303
    finally:
        srv.stop()


@pytest.mark.parametrize("args,env,field", [
    (["--port", "http"], {}, "--port"),
    ([], {"PCMOPS_PORT": "99999"}, "PCMOPS_PORT"),
    (["--database-url", "mysql://u@h/db"], {}, "--database-url"),
    (["--public-url", "ftp://x"], {}, "--public-url"),
    (["--log-format", "xml"], {}, "--log-format"),
    ([], {"PCMOPS_SECRET_KEY": "nope"}, "PCMOPS_SECRET_KEY"),
])
def test_bad_configuration_is_a_clear_error(data_dir, args, env, field):
    result = cli("serve", *args, data_dir=data_dir, env=clean_env(**env), check=False)
    assert result.returncode != 0
    assert field in result.stderr, result.stderr
    assert "Fatal error" not in result.stderr


def test_port_in_use_is_reported(server, data_dir):
    result = cli("serve", "--port", str(server.port), data_dir=data_dir + "-second", check=False)
    assert result.returncode != 0
    assert "Fatal error" not in result.stderr


def test_json_logs_carry_the_request_id(data_dir):
    srv = Server(data_dir, extra_args=["--log-format", "json"])
    try:
        requests.get(srv.url + "/health/live", headers={"X-Request-ID": "trace-me-42"})
    finally:
        srv.stop()
    lines = [json.loads(line) for line in srv.read_stderr().splitlines() if line.startswith("{")]
    assert lines, "no JSON log lines"
    assert any(line.get("request.id") == "trace-me-42" for line in lines)


def test_start_to_ready_and_idle_memory_are_reported(server):
    # Not a timed assertion: prints the figures for the closing note (see scripts/bench-startup).
    with open(f"/proc/{server.process.pid}/status") as f:
        rss = next(line for line in f if line.startswith("VmRSS")).split()[1]
    print(f"\nstart-to-ready {server.ready_after:.2f}s, idle RSS {int(rss) // 1024} MiB")
    assert server.ready_after > 0


@pytest.mark.skipif(not os.environ.get("PCMOPS_TEST_DATABASE_URL"), reason="scripts/test starts PostgreSQL")
def test_postgres_mode_starts_migrates_and_signs_in(data_dir):
    import uuid
    import subprocess
    url = os.environ["PCMOPS_TEST_DATABASE_URL"]
    dbname = "sys_" + uuid.uuid4().hex[:12]
    base = url.split("?")[0].rsplit("/", 1)[0]
    psql_env = dict(os.environ)
    subprocess.run(["psql", url, "-c", f"CREATE DATABASE {dbname}"], check=True, capture_output=True, env=psql_env)
    db_url = f"{base}/{dbname}?sslmode=disable"
    srv = Server(data_dir, extra_args=["--database-url", db_url])
    try:
        password = srv.admin_password()
        assert password
        assert login(srv.url, "admin", password).last_status == 303
        assert cli("migrate", "--database-url", db_url, data_dir=data_dir).returncode == 0
        users = json.loads(cli("user", "list", "--output", "json", "--database-url", db_url, data_dir=data_dir).stdout)
        assert [u["username"] for u in users] == ["admin"]
    finally:
        srv.stop()
    restarted = Server(data_dir, extra_args=["--database-url", db_url])
    try:
        assert restarted.admin_password() is None
    finally:
        restarted.stop()


def test_openapi_description_is_valid(server):
    import yaml
    from openapi_spec_validator import validate
    response = requests.get(server.url + "/openapi.yaml")
    assert response.status_code == 200
    validate(yaml.safe_load(response.text))


def test_a_broken_site_tool_stops_the_start_with_file_line_and_field(data_dir, tmp_path):
    tool = tmp_path / "tools" / "broken"
    tool.mkdir(parents=True)
    (tool / "tool.yml").write_text("id: broken\nname: Broken\nactions:\n  - id: go\n    interpreter: fish\n    script: echo\n")
    result = cli("serve", "--port", "1", "--tools-dir", str(tmp_path / "tools"), data_dir=data_dir, check=False)
    assert result.returncode != 0
    assert "broken/tool.yml:5 (actions[0].interpreter)" in result.stderr, result.stderr
    listed = cli("tools", "list", "--tools-dir", str(tmp_path / "tools"), check=False)
    assert listed.returncode != 0 and "interpreter" in listed.stderr


def test_site_tools_are_listed(tmp_path):
    import json as _json
    tool = tmp_path / "tools" / "hello"
    tool.mkdir(parents=True)
    (tool / "tool.yml").write_text("id: hello\nname: Hello\nactions:\n  - id: say\n    script: echo hello\n")
    listed = _json.loads(cli("tools", "list", "--tools-dir", str(tmp_path / "tools"), "--output", "json").stdout)
    assert {"system", "hello", "linux-service", "windows-service-update"} <= {t["id"] for t in listed}
