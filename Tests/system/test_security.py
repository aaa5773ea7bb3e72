"""Issue 18 through the real binary: local scripts do not see the server's secrets, target output cannot drive the
operator's terminal, and a login name cannot forge a log line."""
import time

import requests

from conftest import Server, clean_env, cli, login

TOOL = r"""id: envkit
name: Environment probe
description: Prints the environment a script runs with.
category: test
platforms: [linux]
actions:
  - id: show
    name: Show the environment
    interpreter: sh
    script: |
      env | sort
    timeout: 60
  - id: escapes
    name: Print terminal escape sequences
    interpreter: sh
    script: |
      printf 'plain\n\033]0;pwned-title\007\033[31mred\033[0m\n'
      printf '\033[2Jcleared\n' >&2
    timeout: 60
"""

SECRETS = {"PCMOPS_ADMIN_PASSWORD": "admin-password-must-not-leak-1", "AWS_SECRET_ACCESS_KEY": "aws-secret-must-not-leak",
           "AWS_ACCESS_KEY_ID": "AKIALEAKLEAKLEAKLEAK", "PCMOPS_DATABASE_URL": "", "SERVER_ONLY_VARIABLE": "server-only"}


def start(data_dir, tmp_path, env=None, extra_args=()):
    tools = tmp_path / "tools"
    (tools / "envkit").mkdir(parents=True)
    (tools / "envkit" / "tool.yml").write_text(TOOL)
    (tmp_path / "local.csv").write_text("name,transport,os\nhere,local,linux\n")
    cli("inventory", "import", str(tmp_path / "local.csv"), data_dir=data_dir, env=clean_env(PCMOPS_ALLOW_LOCAL="true"))
    server = Server(data_dir, extra_args=("--tools-dir", str(tools), "--allow-local", *extra_args), env=env)
    token = cli("token", "create", "--user", "admin", "--name", "sec", data_dir=data_dir).stdout.split()[-1]
    return server, {"Authorization": f"Bearer {token}"}


def run_action(server, headers, action):
    created = requests.post(server.url + "/api/v1/runs", headers=headers, json={
        "tool": "envkit", "action": action, "targets": ["here"]})
    assert created.status_code == 201, created.text
    run_id = created.json()["id"]
    deadline = time.monotonic() + 120
    while requests.get(f"{server.url}/api/v1/runs/{run_id}", headers=headers).json()["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, "the run did not finish"
        time.sleep(0.2)
    return run_id, requests.get(f"{server.url}/api/v1/runs/{run_id}/executions", headers=headers).json()[0]


def test_a_local_script_sees_the_minimal_environment_and_no_server_variable(data_dir, tmp_path):
    # setup
    server, headers = start(data_dir, tmp_path, env=clean_env(**{k: v for k, v in SECRETS.items() if v}))
    try:
        # act
        output = run_action(server, headers, "show")[1]["stdout"]
        # assert
        names = {line.split("=", 1)[0] for line in output.splitlines() if "=" in line}
        for value in (v for v in SECRETS.values() if v):
            assert value not in output
        assert not [n for n in names if n.startswith(("PCMOPS_", "AWS_"))], output
        assert "SERVER_ONLY_VARIABLE" not in names
        assert {"PATH", "HOME", "LANG", "USER", "LOGNAME", "SHELL"} <= names, output
        assert "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" in output.splitlines()
    finally:
        server.stop()


def test_runs_show_escapes_terminal_sequences_unless_raw(data_dir, tmp_path):
    # setup
    server, headers = start(data_dir, tmp_path)
    try:
        run_id, execution = run_action(server, headers, "escapes")
        assert "\x1b]0;pwned-title" in execution["stdout"]  # the API keeps the bytes
        # act
        shown = cli("runs", "show", run_id, data_dir=data_dir, check=False).stdout
        raw = cli("runs", "show", run_id, "--raw", data_dir=data_dir, check=False).stdout
        # assert
        assert "\x1b" not in shown and "\x07" not in shown, repr(shown)
        assert "\\u{1B}]0;pwned-title\\u{7}" in shown and "\\u{1B}[31mred" in shown and "\\u{1B}[2Jcleared" in shown
        assert "plain" in shown
        assert "\x1b]0;pwned-title\x07" in raw and "\x1b[2Jcleared" in raw
    finally:
        server.stop()


def test_a_login_name_with_a_newline_cannot_forge_a_log_line(data_dir, tmp_path):
    # setup
    server = Server(data_dir, extra_args=("--log-format", "text", "--log-level", "debug"))
    try:
        # act
        login(server.url, "nobody\nFORGED info pcm-ops: admin signed in\x1b[2J", "wrong")
        time.sleep(1)
        log = server.read_stderr()
    finally:
        server.stop()
    # assert
    assert not [line for line in log.splitlines() if line.startswith("FORGED")], log[-2000:]
    assert "\x1b" not in log


def test_a_web_inventory_upload_has_one_limit_and_the_page_states_it(server):
    # setup
    from conftest import csrf_of
    session = login(server.url, "admin", server.admin_password())
    csrf = csrf_of(session, server.url)

    def upload(padding):
        text = "[app]\napp01 ansible_host=10.3.0.1\n# " + "x" * padding + "\n"
        return session.post(server.url + "/inventory/import", data={"csrf_token": csrf},
                            files={"file": ("hosts.ini", text, "text/plain")}, timeout=120)

    # act: 3 MiB passed the route's 10 MiB limit but not the CSRF check's 1 MiB before
    accepted = upload(3 << 20)
    refused = upload(10 << 20)
    page = session.get(server.url + "/inventory/import", timeout=30)
    # assert
    assert accepted.status_code == 200 and "1 added" in accepted.text, accepted.text[:300]
    assert refused.status_code == 413
    assert "at most 10 MiB" in page.text
