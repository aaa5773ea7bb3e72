"""The built-in tools through `pcm-ops run`, end to end over SSH: read-only actions on the real
loopback sshd host; destructive ones on the doubles host (scripts/lib/sshd.sh), whose systemctl,
package managers, sftd and sudo are test doubles first on PATH."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import cli

SSH = json.load(open(os.environ["PCMOPS_TEST_SSH"])) if os.environ.get("PCMOPS_TEST_SSH") else None
needs_doubles = pytest.mark.skipif(not SSH or "doubles_port" not in SSH, reason="needs scripts/lib/sshd.sh")


def write(path, text):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text)
    return str(path)


@pytest.fixture
def fleet(data_dir, tmp_path):
    """`real` on the plain sshd host and `fake` on the doubles host, with a fresh doubles state."""
    keys = subprocess.run(["ssh-keyscan", "-p", str(SSH["port"]), "127.0.0.1"], capture_output=True, text=True).stdout
    keys += "".join(f"[127.0.0.1]:{SSH['doubles_port']} {' '.join(open(k).read().split()[:2])}\n"
                    for k in SSH["doubles_host_keys"])
    cli("known-hosts", "import", write(tmp_path / "kh", keys), data_dir=data_dir)
    cli("credentials", "add", "ed", "--username", SSH["user"], "--key-file", f"{SSH['keys']}/id_ed25519",
        "--set-default", data_dir=data_dir)
    cli("targets", "add", "real", "--address", "127.0.0.1", "--port", str(SSH["port"]), data_dir=data_dir)
    cli("targets", "add", "fake", "--address", "127.0.0.1", "--port", str(SSH["doubles_port"]), data_dir=data_dir)
    cli("targets", "add", "win", "--address", "127.0.0.1", "--port", "5986", "--os", "windows",
        "--transport", "winrm", data_dir=data_dir)
    state = Path(SSH["doubles_state"])
    for child in state.iterdir():
        shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    return state


def seed(state, files):
    for relative, content in files.items():
        write(state / relative, content)
    subprocess.run(["chown", "-R", SSH["user"], str(state)], check=False)


def run(data_dir, *args):
    result = cli("run", *args, "--output", "json", data_dir=data_dir, check=False)
    try:
        return result.returncode, json.loads(result.stdout)
    except json.JSONDecodeError:
        raise AssertionError(result.stdout + result.stderr)


@needs_doubles
def test_read_only_reports_run_on_the_real_host(data_dir, fleet):
    for reference, expect in [("system.uptime", "load:"), ("system.memory", ""), ("system.disk", "USED"),
                              ("linux-package.status", "bash"), ("linux-service.status", "")]:
        params = {"linux-package.status": ["--param", "package=bash"],
                  "linux-service.status": ["--param", "unit=ssh.service"]}.get(reference, [])
        code, report = run(data_dir, reference, "--target", "real", *params)
        if reference == "linux-service.status" and not os.path.isdir("/run/systemd/system"):
            assert code == 2 and "systemd" in report["executions"][0]["stdout"] + report["executions"][0]["stderr"]
            continue
        assert code == 0, (reference, report["executions"])
        assert expect in report["executions"][0]["stdout"]
    # Admin-only reports need passwordless sudo: a login without it is told so, not left hanging.
    code, report = run(data_dir, "linux-qc-prep.initial-report", "--target", "real")
    assert code == 2 and "passwordless sudo (NOPASSWD)" in report["executions"][0]["error"]


@needs_doubles
def test_qc_prep_then_post_on_the_doubles_host(data_dir, fleet):
    seed(fleet, {"systemd/units/web.service": "active\n", "systemd/units/db.service": "active\n"})
    code, report = run(data_dir, "linux-qc-prep.initial-report", "--target", "fake", "--param", "refresh=false")
    assert code == 0, report["executions"]
    assert (fleet / "pcm-ops/qc/services-before.txt").exists()
    (fleet / "systemd/units/db.service").write_text("inactive\n")
    code, report = run(data_dir, "linux-qc-post.compare-services", "--target", "fake")
    assert code == 2
    assert "db.service" in report["executions"][0]["stdout"]


@needs_doubles
def test_safe_restart_on_the_doubles_host(data_dir, fleet):
    seed(fleet, {"systemd/units/web.service": "active\n"})
    refused = cli("run", "linux-service.safe-restart", "--target", "fake", "--param", "unit=web.service",
                  data_dir=data_dir, check=False)
    assert refused.returncode == 1 and "destructive" in refused.stderr
    code, report = run(data_dir, "linux-service.safe-restart", "--target", "fake", "--param", "unit=web.service", "--yes")
    assert code == 0, report["executions"]
    assert [e["status"] for e in report["executions"]] == ["succeeded", "succeeded"]
    assert "systemctl restart -- web.service" in (fleet / "calls.log").read_text()


@needs_doubles
def test_a_unit_that_fails_to_start_is_rolled_back(data_dir, fleet):
    seed(fleet, {"systemd/units/api.service": "inactive\n", "systemd/units/api.service.fail": ""})
    code, report = run(data_dir, "linux-service.start", "--target", "fake", "--param", "unit=api.service",
                       "--param", "wait_seconds=1", "--yes")
    assert code == 2
    execution = report["executions"][0]
    assert execution["status"] == "failed" and execution["rollback"] == "succeeded", execution
    assert (fleet / "systemd/units/api.service").read_text().strip() == "inactive"


@needs_doubles
def test_package_install_through_the_apt_double(data_dir, fleet):
    seed(fleet, {"pkg/manager": "apt\n", "pkg/available/htop": "3.2.2-2\n"})
    code, report = run(data_dir, "linux-package.install", "--target", "fake", "--param", "package=htop", "--yes")
    assert code == 0, report["executions"]
    assert (fleet / "pkg/installed/htop").read_text().strip() == "3.2.2-2"


@needs_doubles
def test_sft_repair_enrolls_without_showing_the_token(data_dir, fleet):
    seed(fleet, {"systemd/units/sftd.service": "inactive\n", "pkg/installed/scaleft-server-tools": "1.80.1\n"})
    token = "enroll-SECRET-7f3a9c"
    code, report = run(data_dir, "sft-fixer.fix", "--target", "fake", "--param", f"enrollment_token={token}", "--yes")
    everything = json.dumps(report) + cli("runs", "show", report["id"], "--output", "json", data_dir=data_dir).stdout
    assert token not in everything
    assert report["parameters"]["enrollment_token"] == "***"
    assert code == 0, report["executions"]


@needs_doubles
def test_windows_update_renders_and_dry_runs(data_dir, fleet):
    result = cli("run", "windows-service-update.update", "--target", "win", "--param", r"source_path=\\fs01\drop\sc.exe",
                 "--param", r"target_path=C:\Program Files\StationController\sc.exe", "--dry-run", data_dir=data_dir)
    assert "$PARAM_SOURCE_PATH = '\\\\fs01\\drop\\sc.exe'" in result.stdout
    # Rendered exactly; the target has only the default SSH key, which cannot log in to Windows, and says so.
    assert "CANNOT RUN: authentication: credential 'ed' holds an SSH key, not a Windows account" in result.stdout
    assert "$ErrorActionPreference = 'Stop'" in result.stdout
    for step in ["check-process", "stop-service", "replace-binary", "start-service", "verify"]:
        assert f": {step} [powershell" in result.stdout
    code, report = run(data_dir, "windows-service-update.check-process", "--target", "win",
                       "--param", r"source_path=\\fs01\drop\sc.exe", "--param", r"target_path=C:\sc.exe")
    assert code == 2 and "give the target a credential of kind winrm" in report["executions"][0]["error"]
