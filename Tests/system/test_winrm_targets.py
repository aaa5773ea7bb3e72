"""Windows targets end to end with the real pcm-ops binary against the WinRM emulator (scripts/lib/winrm.sh):
added through the CLI and the API with every authentication the product supports (NTLM with message encryption
over HTTP, SPNEGO-wrapped NTLM, Basic over HTTPS, NTLM over HTTPS with channel binding, certificates verified
against the emulator's CA or not at all), tested, run on (windows-system.ping), and windows-service-update.update
rolled back when the new binary will not start."""
import hashlib
import json
import os
import time

import pytest
import requests

from conftest import cli

W = {name: os.environ.get("PCMOPS_TEST_WINRM_" + name) for name in (
    "HTTP_PORT", "HTTPS_PORT", "CONTROL_PORT", "CA", "RECORDS", "USER", "PASSWORD", "LIMITED_USER",
    "LIMITED_PASSWORD", "DOMAIN_USER", "DOMAIN_PASSWORD")}
needs_winrm = pytest.mark.skipif(not W["HTTP_PORT"], reason="needs the WinRM emulator (scripts/lib/winrm.sh)")

# name, https, target options, the authentication the emulator must see
MODES = [
    ("ntlm-http", False, ["--winrm-auth", "ntlm"], "ntlm"),
    ("negotiate-http", False, ["--winrm-auth", "negotiate"], "negotiate"),
    ("basic-https", True, ["--winrm-auth", "basic", "--tls-ca-bundle", W["CA"] or ""], "basic"),
    ("ntlm-https-cbt", True, ["--tls-ca-bundle", W["CA"] or ""], "ntlm"),
    ("ntlm-https-unverified", True, ["--tls-verify", "off"], "ntlm"),
]


def port(https, host=0):
    return int(W["HTTPS_PORT" if https else "HTTP_PORT"]) + host


def add_account(data_dir, name, user=None, password=None):
    cli("credentials", "add", name, "--username", user or W["USER"], "--winrm",
        stdin=(password or W["PASSWORD"]) + "\n", data_dir=data_dir)


def add_target(data_dir, name, https, options, credential="acct", host=0):
    cli("targets", "add", name, "--address", "127.0.0.1", "--port", str(port(https, host)), "--transport", "winrm",
        "--winrm-scheme", "https" if https else "http", "--credential", credential, *options, data_dir=data_dir)


def run(data_dir, *args):
    result = cli("run", *args, "--output", "json", data_dir=data_dir, check=False)
    try:
        return result.returncode, json.loads(result.stdout)
    except json.JSONDecodeError:
        raise AssertionError(result.stdout + result.stderr)


def records():
    with open(W["RECORDS"], encoding="utf-8") as f:
        return [r for r in (json.loads(line) for line in f if line.strip()) if r.get("kind") == "command"]


@needs_winrm
@pytest.mark.parametrize("mode", MODES, ids=[m[0] for m in MODES])
def test_the_cli_adds_tests_and_runs_on_a_windows_target(data_dir, mode):
    name, https, options, auth = mode
    add_account(data_dir, "acct")
    add_target(data_dir, "win", https, options)

    tested = json.loads(cli("targets", "test", "win", "--admin", "--output", "json", data_dir=data_dir).stdout)[0]
    assert tested["ok"], tested
    stages = [t["stage"] for t in tested["timings"]]
    assert stages[:5 if https else 4] == ["connect"] + (["tls"] if https else []) + ["authentication", "shell", "exec"]
    assert stages[-1] == "admin"

    code, report = run(data_dir, "windows-system.ping", "--target", "win")
    assert code == 0, report["executions"]
    execution = report["executions"][0]
    assert execution["stdout"].startswith("ok: "), execution
    assert W["PASSWORD"] not in json.dumps(report)
    mine = [r for r in records() if r.get("port") == port(https) and "ok: $env:COMPUTERNAME" in json.dumps(r)]
    assert mine and mine[-1]["auth"] == auth and mine[-1]["scheme"] == ("https" if https else "http")


@needs_winrm
def test_the_api_adds_and_tests_windows_targets_with_every_mode(server, data_dir):
    token = cli("token", "create", "--user", "admin", "--name", "winrm", data_dir=data_dir).stdout.split()[-1]
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    created = api.post(server.url + "/api/v1/credentials", json={
        "name": "acct", "kind": "winrm", "username": W["USER"], "password": W["PASSWORD"]})
    assert created.status_code == 201, created.text
    domain_user, domain = W["DOMAIN_USER"].split("\\", 1)[1], W["DOMAIN_USER"].split("\\", 1)[0]
    created = api.post(server.url + "/api/v1/credentials", json={
        "name": "domain", "kind": "winrm", "username": domain_user, "domain": domain,
        "password": W["DOMAIN_PASSWORD"]})
    assert created.status_code == 201 and created.json()["username"] == W["DOMAIN_USER"], created.text
    bodies = {
        "ntlm-http": {"winrm_auth": "ntlm"},
        "negotiate-http": {"winrm_auth": "negotiate"},
        "domain-http": {"credential": "domain"},
        "basic-https": {"winrm_auth": "basic", "tls_ca_bundle": W["CA"]},
        "ntlm-https-cbt": {"tls_ca_bundle": W["CA"]},
        "ntlm-https-unverified": {"tls_verify": False},
    }
    for name, settings in bodies.items():
        https = "https" in name
        body = {"name": name, "address": "127.0.0.1", "port": port(https), "transport": "winrm",
                "winrm_scheme": "https" if https else "http", "credential": "acct", **settings}
        response = api.post(server.url + "/api/v1/targets", json=body)
        assert response.status_code == 201, response.text

    results = api.post(server.url + "/api/v1/targets/test", json={"targets": list(bodies)}).json()
    assert [r["target"] for r in results] == list(bodies)
    assert all(r["ok"] for r in results), results
    assert all(r["facts"] for r in results), results

    run = api.post(server.url + "/api/v1/runs", json={
        "tool": "windows-system", "action": "ping", "targets": list(bodies)})
    assert run.status_code == 201, run.text
    for _ in range(600):
        shown = api.get(server.url + f"/api/v1/runs/{run.json()['id']}").json()
        if shown["status"] not in ("queued", "running"):
            break
        time.sleep(0.1)
    assert shown["status"] == "succeeded", api.get(server.url + f"/api/v1/runs/{run.json()['id']}/executions").text

    # The page shows how each target is reached, and flags the one that trusts any certificate.
    page = api.get(server.url + "/api/v1/targets/ntlm-https-unverified").json()
    assert page["tls_verify"] is False


@needs_winrm
def test_refusals_name_the_field_and_update_changes_the_settings(data_dir):
    refused = cli("targets", "add", "w1", "--transport", "winrm", "--port", "5985", "--winrm-auth", "basic",
                  data_dir=data_dir, check=False)
    assert refused.returncode != 0 and "winrm_auth: Basic authentication over plain HTTP" in refused.stderr
    refused = cli("targets", "add", "w1", "--transport", "winrm", "--tls-verify", "maybe", data_dir=data_dir,
                  check=False)
    assert refused.returncode != 0 and "--tls-verify" in refused.stderr
    refused = cli("targets", "add", "w1", "--transport", "winrm", "--tls-ca-bundle", "/nonexistent.pem",
                  data_dir=data_dir, check=False)
    assert refused.returncode != 0 and "tls_ca_bundle: no file at /nonexistent.pem" in refused.stderr
    refused = cli("targets", "add", "s1", "--winrm-auth", "ntlm", data_dir=data_dir, check=False)
    assert refused.returncode != 0 and "winrm_auth: applies to winrm targets only" in refused.stderr
    refused = cli("credentials", "add", "bad", "--username", "a@b@c", "--winrm", stdin="pw\n", data_dir=data_dir,
                  check=False)
    assert refused.returncode != 0 and "username" in refused.stderr
    refused = cli("credentials", "add", "bad", "--username", "ops", "--domain", "CORP", "--password-stdin",
                  stdin="pw\n", data_dir=data_dir, check=False)
    assert refused.returncode != 0 and "--domain goes with --winrm" in refused.stderr

    cli("targets", "add", "w1", "--transport", "winrm", data_dir=data_dir)
    cli("targets", "update", "w1", "--tls-verify", "off", "--winrm-codepage", "932", data_dir=data_dir)
    listed = json.loads(cli("targets", "list", "--output", "json", data_dir=data_dir).stdout)[0]
    assert listed["os"] == "windows"
    assert listed["winrm"] == {"url": "https://w1:5986/wsman", "auth": "ntlm", "tls_verify": False,
                               "tls_ca_bundle": None, "codepage": 932}
    cli("targets", "update", "w1", "--tls-verify", "on", "--winrm-codepage", "65001", "--port", "5985",
        data_dir=data_dir)
    listed = json.loads(cli("targets", "list", "--output", "json", data_dir=data_dir).stdout)[0]
    assert listed["winrm"]["url"] == "http://w1:5985/wsman" and listed["winrm"]["tls_verify"] is True
    assert listed["winrm"]["codepage"] == 65001


@needs_winrm
def test_a_wrong_password_and_a_session_that_is_not_elevated(data_dir):
    add_account(data_dir, "wrong", password="not-the-password")
    add_account(data_dir, "limited", user=W["LIMITED_USER"], password=W["LIMITED_PASSWORD"])
    add_target(data_dir, "w-wrong", False, [], credential="wrong")
    add_target(data_dir, "w-limited", False, [], credential="limited")
    result = cli("targets", "test", "w-wrong", "w-limited", "--admin", "--output", "json", data_dir=data_dir,
                 check=False)
    assert result.returncode == 1
    tested = {r["target"]: r for r in json.loads(result.stdout)}
    assert tested["w-wrong"]["failed_stage"] == "authentication"
    assert tested["w-limited"]["failed_stage"] == "admin"
    assert "not-the-password" not in result.stdout


def control(path, method="GET", body=None):
    url = f"http://127.0.0.1:{W['CONTROL_PORT']}{path}"
    response = requests.request(method, url, json=body, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


@needs_winrm
def test_a_service_update_that_will_not_start_is_rolled_back(data_dir):
    """windows-service-update.update on a host whose service cannot start with the new binary: the start step
    fails, its rollback puts the backup back and starts the service again; the old binary runs."""
    host = 2  # its own emulated host: the state is seeded for this test alone
    target_path = "C:\\Program Files\\StationController\\StationController.exe"
    source_path = "\\\\fs01\\drop\\StationController\\StationController.exe"
    old, new = "MZ station controller 1.0", "MZ station controller 2.0"
    state = control(f"/hosts/{host}/state")
    state["directories"] = sorted(set(state.get("directories", [])) | {
        "C:\\Program Files\\StationController", "\\\\fs01\\drop\\StationController"})
    state["files"][target_path] = {"text": old, "version": "1.0.0.0"}
    state["files"][source_path] = {"text": new, "version": "2.0.0.0"}
    state["services"] = [s for s in state["services"] if s["name"] != "StationController"] + [{
        "name": "StationController", "display_name": "Station Controller", "status": "Running",
        "start_type": "Automatic", "binary_path": f'"{target_path}"', "process_name": "StationController",
        "broken_binaries": [hashlib.sha256(new.encode()).hexdigest()]}]
    state["processes"] = [p for p in state["processes"] if p.get("service") != "StationController"]
    control(f"/hosts/{host}/state", "PUT", state)
    add_account(data_dir, "acct")
    add_target(data_dir, "cis01", False, [], host=host)
    earlier = len(records())

    code, report = run(data_dir, "windows-service-update.update", "--target", "cis01", "--yes",
                       "--param", f"source_path={source_path}", "--param", f"target_path={target_path}",
                       "--param", "stop_timeout=5")

    assert code == 2, report
    steps = {e["action"]: e for e in report["executions"]}
    assert steps["check-process"]["status"] == "succeeded", steps["check-process"]
    assert steps["stop-service"]["status"] == "succeeded", steps["stop-service"]
    assert steps["replace-binary"]["status"] == "succeeded", steps["replace-binary"]
    assert steps["start-service"]["status"] == "failed", steps["start-service"]
    assert steps["start-service"]["rollback"] == "succeeded", steps["start-service"]
    assert steps["verify"]["status"] == "skipped"
    after = control(f"/hosts/{host}/state")
    assert after["files"][target_path]["text"] == old
    service = next(s for s in after["services"] if s["name"] == "StationController")
    assert service["status"] == "Running"
    # Every step of the run, rollback included, went through one authenticated session and shell.
    shells = {r["shell_id"] for r in records()[earlier:] if source_path.replace("\\", "\\\\") in json.dumps(r)}
    assert len(shells) == 1, shells
