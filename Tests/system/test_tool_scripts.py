"""The built-in tools' scripts (Tools/*/tool.yml), run the way the engine runs them.

Each script is rendered as the engine renders it (DESIGN.md §9: `export PARAM_X='…'` lines in front
of the unchanged script, parameters checked against their specs first) and fed on standard input to
`bash -s`, through `sudo -n -- /bin/sh -c 'bash -s'` for admin actions. Destructive actions run
against a "host" whose systemctl, package managers, sftd, uname and sudo are the test doubles of
Tests/doubles/bin, first on PATH, with their state in a temporary PCMOPS_DOUBLES_STATE; the scripts
keep their own state in temporary PCMOPS_STATE_DIR / PCMOPS_SFTD_DIR (defaults /var/tmp/pcm-ops and
/var/lib/sftd). Read-only reports also run on this machine itself, without doubles.
"""
import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "Tools"
DOUBLES = REPO / "Tests" / "doubles" / "bin"
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


# --- rendering, as OpsCore's ScriptRenderer and ParameterValidator do it -------------------------

def load_tool(tool_id):
    with open(TOOLS / tool_id / "tool.yml") as f:
        return yaml.safe_load(f)


def find_action(tool, action_id):
    for action in tool["actions"]:
        if action["id"] == action_id:
            return action
    raise KeyError(f"{tool['id']} has no action {action_id}")


def action_specs(tool, action):
    return action["parameters"] if "parameters" in action else tool.get("parameters", [])


def script_source(tool_id, action, phase):
    inline, file_key = {"script": ("script", "script_file"), "validation": ("validation", "validation_file"),
                        "rollback": ("rollback", "rollback_file")}[phase]
    if inline in action:
        return "tool.yml", action[inline]
    if file_key in action:
        return action[file_key], (TOOLS / tool_id / action[file_key]).read_text()
    raise KeyError(f"{tool_id}.{action['id']} has no {phase} script")


class ParameterError(ValueError):
    pass


def validate(specs, given):
    names = {spec["name"] for spec in specs}
    for name in given:
        if name not in names:
            raise ParameterError(f"unknown parameter {name}")
    values = {}
    for spec in specs:
        value = given.get(spec["name"], spec.get("default"))
        if value is None:
            if spec.get("required"):
                raise ParameterError(f"{spec['name']} is required")
            continue
        value = str(value)
        kind = spec.get("type", "string")
        if kind == "string":
            if len(value) > spec.get("max_length", 128 * 1024):
                raise ParameterError(f"{spec['name']} too long")
            if "pattern" in spec and not re.fullmatch(spec["pattern"], value):
                raise ParameterError(f"{spec['name']} does not match {spec['pattern']}")
        elif kind == "int":
            number = int(value)
            if ("min" in spec and number < spec["min"]) or ("max" in spec and number > spec["max"]):
                raise ParameterError(f"{spec['name']} out of range")
            value = str(number)
        elif kind == "bool":
            value = {"true": "true", "yes": "true", "1": "true", "on": "true",
                     "false": "false", "no": "false", "0": "false", "off": "false"}[value.lower()]
        elif kind == "enum" and value not in spec["values"]:
            raise ParameterError(f"{spec['name']} not one of {spec['values']}")
        values[spec["name"]] = value
    return values


def posix_quote(value):
    return "'" + value.replace("'", "'\\''") + "'"


def render(tool_id, action_id, phase="script", **params):
    tool = load_tool(tool_id)
    action = find_action(tool, action_id)
    specs = action_specs(tool, action)
    values = validate(specs, {k: str(v) for k, v in params.items()})
    origin, text = script_source(tool_id, action, phase)
    lines = ["# pcm-ops: parameters"]
    if action.get("interpreter", "bash") == "powershell":
        lines.append("$ErrorActionPreference = 'Stop'")
        lines += [f"$PARAM_{s['name'].upper()} = '" + values[s["name"]].replace("'", "''") + "'"
                  for s in specs if s["name"] in values]
    else:
        lines += [f"export PARAM_{s['name'].upper()}={posix_quote(values[s['name']])}"
                  for s in specs if s["name"] in values]
    lines.append(f"# pcm-ops: script {origin}")
    return action, "\n".join(lines) + "\n" + text + ("" if text.endswith("\n") else "\n")


# --- hosts --------------------------------------------------------------------------------------

class Host:
    """Where scripts run: this machine, with the doubles first on PATH or (doubles=False) as it is."""

    def __init__(self, root, doubles=True, path=None):
        self.root = Path(root)
        self.doubles = self.root / "doubles-state"
        self.state = self.root / "pcm-ops"
        self.sftd = self.root / "sftd-lib"
        self.doubles.mkdir()
        if doubles:
            self.env = {"PATH": path or f"{DOUBLES}:/usr/local/bin:/usr/bin:/bin",
                        "PCMOPS_DOUBLES_STATE": str(self.doubles)}
        else:
            self.env = {"PATH": os.environ.get("PATH", SYSTEM_PATH)}
        self.env.update({"PCMOPS_STATE_DIR": str(self.state), "PCMOPS_SFTD_DIR": str(self.sftd),
                         "HOME": str(self.root), "LANG": "C.UTF-8"})

    def run(self, tool_id, action_id, phase="script", **params):
        action, text = render(tool_id, action_id, phase, **params)
        interpreter = action.get("interpreter", "bash")
        command = [interpreter, "-s"]
        if action.get("requires_admin") and "PCMOPS_DOUBLES_STATE" in self.env:
            # As the engine runs it for a non-root login, through sudo: here the double, first on PATH.
            command = ["sudo", "-n", "--", "/bin/sh", "-c", f"{interpreter} -s"]
        executable = shutil.which(command[0], path=self.env["PATH"])
        result = subprocess.run([executable, *command[1:]], input=text, capture_output=True, text=True, env=self.env,
                                timeout=120, cwd=self.root)
        result.output = result.stdout + result.stderr
        return result

    # doubles' state
    def write(self, relative, content):
        path = self.doubles / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)

    def read(self, relative):
        path = self.doubles / relative
        return path.read_text().strip() if path.exists() else None

    def unit(self, name, state, fails=False, enabled=None):
        self.write(f"systemd/units/{name}", state + "\n")
        if fails:
            self.write(f"systemd/units/{name}.fail", "")
        elif (self.doubles / f"systemd/units/{name}.fail").exists():
            (self.doubles / f"systemd/units/{name}.fail").unlink()
        if enabled:
            self.write(f"systemd/units/{name}.enabled", enabled + "\n")

    def unit_state(self, name):
        return self.read(f"systemd/units/{name}")

    def available(self, name, *versions):
        self.write(f"pkg/available/{name}", "".join(v + "\n" for v in versions))

    def installed(self, name, version=None):
        if version is not None:
            self.write(f"pkg/installed/{name}", version + "\n")
        return self.read(f"pkg/installed/{name}")

    def calls(self):
        return (self.doubles / "calls.log").read_text() if (self.doubles / "calls.log").exists() else ""


@pytest.fixture
def host(tmp_path):
    return Host(tmp_path)


@pytest.fixture
def real(tmp_path):
    """This machine without doubles; scripts' state still goes to a temporary directory."""
    return Host(tmp_path, doubles=False)


def systemd_running():
    return subprocess.run(["sh", "-c", "systemctl show -p Version"], capture_output=True).returncode == 0


# --- the catalog itself ---------------------------------------------------------------------------

TOOL_IDS = ["linux-service", "linux-package", "linux-qc-prep", "linux-qc-post", "sft-fixer", "windows-service-update",
            "windows-system", "windows-service"]


@pytest.mark.parametrize("tool_id", TOOL_IDS)
def test_every_script_of_the_tool_exists_and_parses(tool_id):
    tool = load_tool(tool_id)
    assert tool["id"] == tool_id
    for action in tool["actions"]:
        for phase in ("script", "validation", "rollback"):
            try:
                origin, text = script_source(tool_id, action, phase)
            except KeyError:
                continue
            if action.get("interpreter", "bash") in ("bash", "sh"):
                check = subprocess.run([action.get("interpreter", "bash"), "-n"], input=text, capture_output=True,
                                       text=True)
                assert check.returncode == 0, f"{tool_id}/{origin}: {check.stderr}"
                assert "PARAM_" not in text or "$PARAM_" in text or "${PARAM_" in text
            elif shutil.which("pwsh"):
                parse = subprocess.run(
                    ["pwsh", "-NoProfile", "-Command",
                     "$e=$null; [void][System.Management.Automation.Language.Parser]::ParseInput([Console]::In.ReadToEnd(),"
                     " [ref]$null, [ref]$e); if ($e) { $e | ForEach-Object { $_.ToString() }; exit 1 }"],
                    input=text, capture_output=True, text=True)
                assert parse.returncode == 0, f"{tool_id}/{origin}: {parse.stdout}"


def test_shellcheck_when_installed():
    if not shutil.which("shellcheck"):
        pytest.skip("shellcheck is not installed")
    scripts = sorted(str(p) for p in TOOLS.glob("*/*.sh") if p.parent.name in TOOL_IDS)
    result = subprocess.run(["shellcheck", "-s", "bash", "-S", "warning", "-e", "SC2034", *scripts],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_parameters_refuse_injection_before_anything_runs():
    with pytest.raises(ParameterError):
        render("linux-service", "restart", unit="nginx; rm -rf /")
    with pytest.raises(ParameterError):
        render("linux-package", "install", package="nginx $(id)")
    with pytest.raises(ParameterError):
        render("sft-fixer", "repair", enrollment_token="abc' ; id; '")
    with pytest.raises(ParameterError):
        render("windows-service-update", "verify", source_path="C:\\x.exe\"; calc", target_path="C:\\x.exe")
    _, text = render("linux-service", "status", unit="getty@tty1.service")
    assert "export PARAM_UNIT='getty@tty1.service'\n" in text


def test_windows_paths_accept_unc_and_local_paths_only():
    ok = dict(source_path=r"\\fs01\deploy\StationController\StationController.exe",
              target_path=r"C:\Program Files\StationController\StationController.exe")
    action, text = render("windows-service-update", "replace-binary", **ok)
    assert action["interpreter"] == "powershell"
    assert "$PARAM_SOURCE_PATH = '\\\\fs01\\deploy\\StationController\\StationController.exe'" in text
    assert "$PARAM_SERVICE_NAME = 'StationController'" in text
    assert "$ErrorActionPreference = 'Stop'" in text.splitlines()[1]
    for bad in [r"\\fs01", "C:/x.exe", r"..\x.exe", "x.exe", r"C:\a|b.exe"]:
        with pytest.raises(ParameterError):
            render("windows-service-update", "verify", source_path=bad, target_path=ok["target_path"])
    with pytest.raises(ParameterError):
        render("windows-service-update", "verify", source_path=ok["source_path"], target_path=r"\\fs01\share\x.exe")


def test_windows_update_workflow_rolls_back_from_the_replace_on():
    tool = load_tool("windows-service-update")
    steps = tool["workflows"][0]["steps"]
    assert [s["action"] for s in steps] == ["check-process", "stop-service", "replace-binary", "start-service", "verify"]
    assert [s.get("on_failure", "stop") for s in steps] == ["stop", "stop", "rollback", "rollback", "rollback"]
    restore = (TOOLS / "windows-service-update" / "restore-backup.ps1").read_text()
    replace = (TOOLS / "windows-service-update" / "replace-binary.ps1").read_text()
    # The backup this update made is what the rollback restores, and the hash is checked both ways.
    assert "Set-Content -LiteralPath $marker -Value $backup" in replace
    assert "Get-Content -LiteralPath $marker" in restore
    assert replace.count("Get-Sha256") >= 3 and "Get-Sha256 $backup" in restore


# --- linux-service --------------------------------------------------------------------------------

def test_service_restart_saves_state_restarts_and_validates(host):
    host.unit("nginx.service", "active")
    result = host.run("linux-service", "restart", unit="nginx")
    assert result.returncode == 0, result.output
    assert "systemctl restart -- nginx" in host.calls()
    assert (host.state / "linux-service" / "nginx.service.prev").read_text() == "active\n"
    assert "before:  active" in result.stdout and "after:   active" in result.stdout
    check = host.run("linux-service", "restart", "validation", unit="nginx", wait_seconds=0)
    assert check.returncode == 0 and "nginx is active" in check.stdout


def test_service_start_that_fails_is_caught_and_rolled_back(host):
    host.unit("app.service", "inactive", fails=True)
    result = host.run("linux-service", "start", unit="app.service")
    assert result.returncode == 1
    assert "error: systemctl start app.service failed; the unit is now failed" in result.stderr
    assert host.unit_state("app.service") == "failed"
    check = host.run("linux-service", "start", "validation", unit="app.service", wait_seconds=0)
    assert check.returncode == 1 and "app.service is failed, expected active" in check.stderr
    rollback = host.run("linux-service", "start", "rollback", unit="app.service")
    assert rollback.returncode == 0, rollback.output
    assert host.unit_state("app.service") == "inactive"
    assert "was inactive before the change" in rollback.stdout


def test_service_stop_validation_and_rollback_restore_active(host):
    host.unit("cron.service", "active")
    assert host.run("linux-service", "stop", unit="cron").returncode == 0
    assert host.unit_state("cron.service") == "inactive"
    assert host.run("linux-service", "stop", "validation", unit="cron", wait_seconds=0).returncode == 0
    # While it is stopped, the "restart" check fails: validations look at real state.
    assert host.run("linux-service", "restart", "validation", unit="cron", wait_seconds=0).returncode == 1
    rollback = host.run("linux-service", "stop", "rollback", unit="cron")
    assert rollback.returncode == 0, rollback.output
    assert host.unit_state("cron.service") == "active"
    assert "systemctl start -- cron" in host.calls()


def test_service_rollback_reports_when_it_cannot_restore(host):
    host.unit("broken.service", "active", fails=True)
    assert host.run("linux-service", "restart", unit="broken.service").returncode == 1
    rollback = host.run("linux-service", "restart", "rollback", unit="broken.service")
    assert rollback.returncode == 1
    assert "rollback could not restore broken.service: it is failed, expected active" in rollback.stderr


def test_service_rollback_without_saved_state_fails(host):
    host.unit("x.service", "active")
    result = host.run("linux-service", "restart", "rollback", unit="x.service")
    assert result.returncode == 1 and "no saved state for x.service" in result.stderr


def test_service_status_and_unknown_unit(host):
    host.unit("sshd.service", "active", enabled="enabled")
    status = host.run("linux-service", "status", unit="sshd")
    assert status.returncode == 0
    assert "state:    active (running)" in status.stdout and "enabled:  enabled" in status.stdout
    missing = host.run("linux-service", "status", unit="nope.service")
    assert missing.returncode == 3 and "unit nope.service not found" in missing.stderr
    restart = host.run("linux-service", "restart", unit="nope.service")
    assert restart.returncode == 3 and not (host.state / "linux-service" / "nope.service.prev").exists()


def test_safe_restart_workflow_steps(host):
    tool = load_tool("linux-service")
    workflow = tool["workflows"][0]
    assert workflow["id"] == "safe-restart"
    assert [(s["action"], s.get("on_failure", "stop")) for s in workflow["steps"]] == [
        ("status", "stop"), ("restart", "rollback")]
    host.unit("web.service", "active")
    assert host.run("linux-service", "status", unit="web.service").returncode == 0
    assert host.run("linux-service", "restart", unit="web.service").returncode == 0
    assert host.run("linux-service", "restart", "validation", unit="web.service", wait_seconds=0).returncode == 0


def test_service_scripts_without_systemd(host):
    host.unit("nginx.service", "active")
    host.write("systemd/down", "")
    for action in ("status", "restart"):
        result = host.run("linux-service", action, unit="nginx")
        assert result.returncode == 4
        assert "systemd is not running on this host" in result.stderr
    assert host.unit_state("nginx.service") == "active"
    assert "restart" not in host.calls().replace("systemctl --version", "")


def test_service_status_on_this_machine(real):
    result = real.run("linux-service", "status", unit="ssh.service")
    if systemd_running():
        assert result.returncode in (0, 3), result.output
    else:
        assert result.returncode == 4
        assert result.stderr.strip() == "error: systemd is not running on this host; cannot query ssh.service"


# --- linux-package --------------------------------------------------------------------------------

def test_package_install_through_apt(host):
    host.available("nginx", "1.22.0-1", "1.22.1-9")
    result = host.run("linux-package", "install", package="nginx")
    assert result.returncode == 0, result.output
    assert host.installed("nginx") == "1.22.1-9"
    calls = host.calls()
    assert re.search(r"apt-get install -y -q .* nginx \[DEBIAN_FRONTEND=noninteractive\]", calls), calls
    assert "apt-get update" in calls
    check = host.run("linux-package", "install", "validation", package="nginx")
    assert check.returncode == 0 and "nginx 1.22.1-9 is installed" in check.stdout
    again = host.run("linux-package", "install", package="nginx")
    assert "already installed; nothing to do" in again.stdout
    assert host.calls().count("apt-get install") == 1


def test_package_install_of_a_version_and_its_validation(host):
    host.available("nginx", "1.22.0-1", "1.22.1-9")
    result = host.run("linux-package", "install", package="nginx", version="1.22.0")
    assert result.returncode == 0, result.output
    assert "apt-get install nginx=1.22.0-1" in result.stdout
    assert host.installed("nginx") == "1.22.0-1"
    assert host.run("linux-package", "install", "validation", package="nginx", version="1.22.0").returncode == 0
    wrong = host.run("linux-package", "install", "validation", package="nginx", version="1.22.1-9")
    assert wrong.returncode == 1 and "nginx is at 1.22.0-1, not the requested 1.22.1-9" in wrong.stderr


def test_package_update_and_status(host):
    host.available("openssl", "3.0.11-1", "3.0.13-1")
    host.installed("openssl", "3.0.11-1")
    status = host.run("linux-package", "status", package="openssl")
    assert status.returncode == 0
    assert "installed: 3.0.11-1" in status.stdout and "candidate: 3.0.13-1 (update available)" in status.stdout
    update = host.run("linux-package", "update", package="openssl")
    assert update.returncode == 0, update.output
    assert "--only-upgrade" in host.calls() and host.installed("openssl") == "3.0.13-1"
    assert "candidate: 3.0.13-1 (up to date)" in host.run("linux-package", "status", package="openssl").stdout
    older = host.run("linux-package", "update", package="openssl", version="3.0.11-1")
    assert older.returncode == 3 and "use the install action to downgrade" in older.stderr


def test_package_update_of_a_missing_package_and_install_of_an_unknown_one(host):
    host.available("htop", "3.2.2-2")
    update = host.run("linux-package", "update", package="htop")
    assert update.returncode == 3 and "htop is not installed; use the install action" in update.stderr
    unknown = host.run("linux-package", "install", package="nosuch")
    assert unknown.returncode == 1 and "error: apt-get install nosuch failed" in unknown.stderr
    check = host.run("linux-package", "install", "validation", package="nosuch")
    assert check.returncode == 1 and "nosuch is not installed" in check.stderr


def test_package_install_and_downgrade_through_dnf(host):
    host.write("pkg/manager", "dnf\n")
    host.available("nginx", "1.20.1-14.el9", "1.20.1-16.el9")
    install = host.run("linux-package", "install", package="nginx")
    assert install.returncode == 0, install.output
    assert "dnf install -y nginx" in host.calls() and "apt-get" not in host.calls()
    assert host.installed("nginx") == "1.20.1-16.el9"
    down = host.run("linux-package", "install", package="nginx", version="1.20.1-14.el9")
    assert down.returncode == 0, down.output
    assert "dnf downgrade -y nginx-1.20.1-14.el9" in host.calls()
    assert host.run("linux-package", "install", "validation", package="nginx", version="1.20.1").returncode == 0


def test_package_without_a_package_manager(host):
    host.write("pkg/manager", "none\n")  # every package-manager double acts absent
    result = host.run("linux-package", "status", package="nginx")
    assert result.returncode == 4 and "no supported package manager" in result.stderr


def test_package_status_on_this_machine(real):
    if not shutil.which("dpkg-query") and not shutil.which("rpm"):
        pytest.skip("no dpkg or rpm here")
    result = real.run("linux-package", "status", package="bash")
    assert result.returncode == 0, result.output
    assert re.search(r"installed: \d", result.stdout), result.stdout


# --- sft-fixer ------------------------------------------------------------------------------------

TOKEN = "eyJzIjoidGVzdCJ9.TopSecret-Enrollment_Token+/="


def test_sft_repair_re_enrolls_with_the_token_and_never_prints_it(host):
    host.unit("sftd.service", "active")
    host.sftd.mkdir(mode=0o700)
    (host.sftd / "device.token").write_text("old-device\n")
    result = host.run("sft-fixer", "repair", enrollment_token=TOKEN)
    assert result.returncode == 0, result.output
    assert TOKEN not in result.stdout and TOKEN not in result.stderr
    assert TOKEN not in host.calls()
    token_file = host.sftd / "enrollment.token"
    assert token_file.read_text() == TOKEN + "\n"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(host.sftd.stat().st_mode) == 0o700
    assert (host.sftd / "device.token.old").read_text() == "old-device\n"
    assert (host.sftd / "device.token").read_text().startswith("device-")  # sftd (the double) enrolled
    calls = host.calls()
    assert calls.index("systemctl stop sftd") < calls.index("systemctl start sftd")
    check = host.run("sft-fixer", "repair", "validation", wait_seconds=0)
    assert check.returncode == 0 and "sftd is active and enrolled" in check.stdout


def test_sft_repair_without_token_restarts_and_validation_needs_enrollment(host):
    host.unit("sftd.service", "failed", enabled="disabled")
    result = host.run("sft-fixer", "repair")
    assert result.returncode == 0, result.output
    assert "systemctl restart sftd" in host.calls() and "systemctl enable sftd" in host.calls()
    assert host.unit_state("sftd.service") == "active"
    assert not (host.sftd / "enrollment.token").exists()
    check = host.run("sft-fixer", "repair", "validation", wait_seconds=0)
    assert check.returncode == 1 and "sftd is active but not enrolled" in check.stderr
    host.sftd.mkdir()
    (host.sftd / "device.token").write_text("device\n")
    assert host.run("sft-fixer", "repair", "validation", wait_seconds=0).returncode == 0


def test_sft_enrollment_that_does_not_take_fails_validation(host):
    host.unit("sftd.service", "active")
    host.write("sftd/enroll-fails", "")
    assert host.run("sft-fixer", "repair", enrollment_token=TOKEN).returncode == 0
    check = host.run("sft-fixer", "repair", "validation", wait_seconds=0)
    assert check.returncode == 1 and "not enrolled" in check.stderr and TOKEN not in check.output


def test_sft_detect(host):
    host.unit("sftd.service", "active")
    host.write("sftd/version", "1.80.1\n")
    host.sftd.mkdir()
    (host.sftd / "device.token").write_text("device\n")
    healthy = host.run("sft-fixer", "detect")
    assert healthy.returncode == 0, healthy.output
    assert "version:   sftd version 1.80.1" in healthy.stdout
    assert "service:   active, enabled" in healthy.stdout and "health:    OK" in healthy.stdout
    (host.sftd / "device.token").unlink()
    host.unit("sftd.service", "inactive")
    sick = host.run("sft-fixer", "detect")
    assert sick.returncode == 0
    assert "health:    NEEDS REPAIR: the sftd service is inactive; not enrolled" in sick.stdout
    assert host.unit_state("sftd.service") == "inactive"  # detect changes nothing


def test_sft_detect_when_sftd_is_not_installed(tmp_path):
    bin_dir = tmp_path / "bin-no-sftd"
    bin_dir.mkdir()
    for double in DOUBLES.iterdir():
        if double.name != "sftd":
            (bin_dir / double.name).symlink_to(double)
    (tmp_path / "h").mkdir()
    host = Host(tmp_path / "h", path=f"{bin_dir}:/usr/local/bin:/usr/bin:/bin")
    if any(Path(p).exists() for p in ("/usr/sbin/sftd", "/usr/bin/sftd", "/opt/scaleft/bin/sftd")):
        pytest.skip("sftd is really installed here")
    result = host.run("sft-fixer", "detect")
    assert result.returncode == 3 and "sftd (ScaleFT server tools) is not installed" in result.stderr
    repair = host.run("sft-fixer", "repair")
    assert repair.returncode == 3 and "systemctl" not in host.calls()


# --- linux-qc-prep / linux-qc-post -----------------------------------------------------------------

def debian_kernel_repo(host, running="6.1.0-18-amd64", newest="6.1.0-28-amd64"):
    host.write("kernel-release", running + "\n")
    host.installed("linux-image-amd64", "6.1.76-1")
    host.installed(f"linux-image-{running}", "6.1.76-1")
    host.available("linux-image-amd64", "6.1.76-1", "6.1.119-1")
    host.write("pkg/depends/linux-image-amd64", f"linux-image-{newest}\n")
    host.available(f"linux-image-{newest}", "6.1.119-1")


def prepared_host(host):
    for unit in ("ssh.service", "cron.service", "nginx.service", "user@1000.service"):
        host.unit(unit, "active")
    host.unit("old-broken.service", "failed")
    debian_kernel_repo(host)
    initial = host.run("linux-qc-prep", "initial-report", refresh="false")
    assert initial.returncode == 0, initial.output
    stage = host.run("linux-qc-prep", "stage-kernel")
    assert stage.returncode == 0, stage.output
    return initial, stage


def test_qc_initial_report_saves_the_snapshot(host):
    host.available("curl", "7.88.1-10", "7.88.1-10+deb12u5")
    host.installed("curl", "7.88.1-10")
    initial, _ = prepared_host(host)
    qc = host.state / "qc"
    assert (qc / "services-before.txt").read_text().split() == [
        "cron.service", "nginx.service", "ssh.service", "user@1000.service"]
    assert (qc / "failed-before.txt").read_text().split() == ["old-broken.service"]
    assert "curl" in (qc / "pending-updates.txt").read_text().split()
    out = initial.stdout
    for heading in ("== Host", "== Disk space", "== Pending updates", "== Failed systemd units",
                    "== Listening ports", "== Running services"):
        assert heading in out
    assert "kernel:   6.1.0-18-amd64" in out
    assert "failed:   1 unit(s)" in out and "running:  4 service(s); snapshot saved to" in out
    assert re.search(r"pending:  \d+ package\(s\) via apt-get", out)
    assert "boot_id=" in (qc / "prep-info.txt").read_text()
    # refresh=false: the report did not update the package lists (only stage-kernel, after it, did).
    assert "apt-get update" not in host.calls().split("dist-upgrade")[0]


def test_qc_stage_kernel_downloads_but_never_installs(host):
    _, stage = prepared_host(host)
    staged = dict(line.split("=", 1) for line in (host.state / "qc" / "staged-kernel.txt").read_text().splitlines())
    assert staged["running"] == "6.1.0-18-amd64" and staged["staged"] == "6.1.0-28-amd64"
    assert staged["status"] == "downloaded" and staged["package"] == "linux-image-6.1.0-28-amd64"
    assert (host.doubles / "pkg/archives/linux-image-6.1.0-28-amd64_6.1.119-1.deb").exists()
    assert host.installed("linux-image-6.1.0-28-amd64") is None
    assert "apt-get install --download-only -y -q linux-image-6.1.0-28-amd64" in host.calls()
    assert "running:  6.1.0-18-amd64" in stage.stdout
    assert "newest:   6.1.0-28-amd64 (linux-image-6.1.0-28-amd64 6.1.119-1)" in stage.stdout


def test_qc_stage_kernel_when_current_or_already_installed(host):
    debian_kernel_repo(host, running="6.1.0-28-amd64")
    current = host.run("linux-qc-prep", "stage-kernel")
    assert current.returncode == 0 and "the running kernel is the newest available" in current.stdout
    assert "--download-only" not in host.calls()
    assert "staged=6.1.0-28-amd64" in (host.state / "qc" / "staged-kernel.txt").read_text()
    host.installed("linux-image-6.1.0-28-amd64", "6.1.119-1")
    host.write("kernel-release", "6.1.0-18-amd64\n")
    pending = host.run("linux-qc-prep", "stage-kernel")
    assert pending.returncode == 0 and "already installed (not running yet: a reboot is pending)" in pending.stdout
    assert "status=installed" in (host.state / "qc" / "staged-kernel.txt").read_text()


def test_qc_stage_kernel_through_dnf(host):
    host.write("pkg/manager", "dnf\n")
    host.write("kernel-release", "5.14.0-362.8.1.el9_3.x86_64\n")
    host.installed("kernel", "5.14.0-362.8.1.el9_3")
    host.available("kernel", "5.14.0-362.8.1.el9_3", "5.14.0-427.13.1.el9_4")
    result = host.run("linux-qc-prep", "stage-kernel")
    assert result.returncode == 0, result.output
    assert "dnf install -y --downloadonly kernel-5.14.0-427.13.1.el9_4" in host.calls()
    assert host.installed("kernel") == "5.14.0-362.8.1.el9_3"
    assert "staged=5.14.0-427.13.1.el9_4.x86_64" in (host.state / "qc" / "staged-kernel.txt").read_text()


def test_qc_stage_kernel_fails_clearly_without_a_kernel_package(host):
    host.write("kernel-release", "6.18.44-custom\n")
    result = host.run("linux-qc-prep", "stage-kernel")
    assert result.returncode == 1 and "cannot tell which kernel package this host uses" in result.stderr
    assert not (host.state / "qc" / "staged-kernel.txt").exists()


def test_qc_final_report_verdicts(host):
    prepared_host(host)
    ready = host.run("linux-qc-prep", "final-report")
    assert ready.returncode == 0, ready.output
    assert "verdict:   READY for patching" in ready.stdout
    assert "staged:    6.1.0-28-amd64 (downloaded, not installed" in ready.stdout
    (host.state / "qc" / "staged-kernel.txt").unlink()
    not_ready = host.run("linux-qc-prep", "final-report")
    assert not_ready.returncode == 1 and "NOT READY" in not_ready.stdout
    assert "error: not ready for patching: no staged kernel record" in not_ready.stderr


def test_qc_post_compare_services_detects_a_missing_service(host):
    prepared_host(host)
    host.unit("nginx.service", "failed")
    host.unit("user@1000.service", "inactive")  # ignored by default: a login's service manager
    host.unit("newcomer.service", "active")
    result = host.run("linux-qc-post", "compare-services")
    assert result.returncode == 1
    assert "  - nginx.service (now failed)" in result.stdout and "  + newcomer.service" in result.stdout
    assert "user@1000.service" not in result.stdout
    assert "error: 1 service(s) that ran before patching are not running: nginx.service" in result.stderr
    host.unit("nginx.service", "active")
    ok = host.run("linux-qc-post", "compare-services")
    assert ok.returncode == 0 and "every service that ran before patching runs now" in ok.stdout
    strict = host.run("linux-qc-post", "compare-services", ignore="")
    assert strict.returncode == 1 and "user@1000.service" in strict.stderr


def test_qc_post_verify_reboot(host):
    prepared_host(host)
    before = host.run("linux-qc-post", "verify-reboot")
    assert before.returncode == 1
    assert "the running kernel 6.1.0-18-amd64 is not the staged kernel 6.1.0-28-amd64" in before.stderr
    host.write("kernel-release", "6.1.0-28-amd64\n")  # "rebooted" into the new kernel
    after = host.run("linux-qc-post", "verify-reboot")
    assert after.returncode == 0, after.output
    assert "result:    the host runs the staged kernel 6.1.0-28-amd64" in after.stdout
    assert re.search(r"uptime:    \d+d \d+h \d+m", after.stdout)


def test_qc_post_final_validation(host):
    prepared_host(host)
    host.write("kernel-release", "6.1.0-28-amd64\n")
    passed = host.run("linux-qc-post", "final-validation")
    assert passed.returncode == 0, passed.output
    assert "verdict:   QC PASSED" in passed.stdout
    host.unit("cron.service", "failed")
    failed = host.run("linux-qc-post", "final-validation")
    assert failed.returncode == 1 and "QC FAILED" in failed.stdout
    assert "services:  FAILED, not running: cron.service" in failed.stdout
    assert "failed:    FAILED, newly failed: cron.service" in failed.stdout  # old-broken was failed before


def test_qc_post_without_a_prep(host):
    host.unit("ssh.service", "active")
    compare = host.run("linux-qc-post", "compare-services")
    assert compare.returncode == 1 and "no services snapshot" in compare.stderr
    verify = host.run("linux-qc-post", "verify-reboot")
    assert verify.returncode == 1 and "no staged kernel record" in verify.stderr


def test_qc_workflows():
    prep = load_tool("linux-qc-prep")["workflows"][0]
    assert [(s["action"], s.get("on_failure", "stop")) for s in prep["steps"]] == [
        ("initial-report", "stop"), ("stage-kernel", "continue"), ("final-report", "stop")]
    post = load_tool("linux-qc-post")["workflows"][0]
    assert [s["action"] for s in post["steps"]] == ["compare-services", "verify-reboot", "final-validation"]


def test_qc_reports_on_this_machine(real):
    initial = real.run("linux-qc-prep", "initial-report", refresh="false")
    assert initial.returncode == 0, initial.output
    assert f"kernel:   {os.uname().release}" in initial.stdout
    if not systemd_running():
        assert "note: systemd is not running on this host: no unit checks and no service snapshot" in initial.stdout
        assert not (real.state / "qc" / "services-before.txt").exists()
    else:
        assert (real.state / "qc" / "services-before.txt").exists()
    final = real.run("linux-qc-prep", "final-report")
    assert final.returncode == 1 and "NOT READY" in final.stdout  # nothing staged
    (real.state / "qc" / "staged-kernel.txt").write_text(f"running={os.uname().release}\nstaged={os.uname().release}\n")
    verify = real.run("linux-qc-post", "verify-reboot")
    assert verify.returncode == 0, verify.output
    assert "rebooted:  no, not since the prep" in verify.stdout
    (real.state / "qc" / "staged-kernel.txt").write_text("staged=0.0.0-none\n")
    assert real.run("linux-qc-post", "verify-reboot").returncode == 1


def test_sft_detect_on_this_machine(real):
    result = real.run("sft-fixer", "detect")
    if shutil.which("sftd") or Path("/usr/sbin/sftd").exists():
        assert result.returncode == 0 and "health:" in result.stdout
    else:
        assert result.returncode == 3
        assert result.stderr.strip().startswith("error: sftd (ScaleFT server tools) is not installed on ")


# --- over real SSH: the doubles host of scripts/lib/sshd.sh ------------------------------------------

SSH = json.load(open(os.environ["PCMOPS_TEST_SSH"])) if os.environ.get("PCMOPS_TEST_SSH") else None


@pytest.mark.skipif(not SSH or "doubles_port" not in SSH, reason="needs the doubles host of scripts/lib/sshd.sh")
def test_service_restart_over_ssh_on_the_doubles_host(tmp_path):
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text("".join(
        f"[127.0.0.1]:{SSH['doubles_port']} {' '.join(open(k).read().split()[:2])}\n" for k in SSH["doubles_host_keys"]))
    ssh = ["ssh", "-p", str(SSH["doubles_port"]), "-i", os.path.join(SSH["keys"], "id_ed25519"), "-o", "BatchMode=yes",
           "-o", f"UserKnownHostsFile={known_hosts}", "-o", "StrictHostKeyChecking=yes", f"{SSH['user']}@127.0.0.1"]

    def remote(command, stdin=""):
        return subprocess.run(ssh + [command], input=stdin, capture_output=True, text=True, timeout=60)

    setup = remote('rm -rf "$PCMOPS_DOUBLES_STATE"/* && mkdir -p "$PCMOPS_DOUBLES_STATE/systemd/units" && '
                   'echo active > "$PCMOPS_DOUBLES_STATE/systemd/units/web.service" && command -v systemctl')
    assert setup.returncode == 0, setup.stderr
    # Nothing below may run unless the doubles come first on that host's PATH.
    assert setup.stdout.strip() == os.path.join(SSH["doubles_bin"], "systemctl")
    _, script = render("linux-service", "restart", unit="web.service")
    # Exactly the command the engine sends for an admin action of a non-root login.
    result = remote("sudo -n -- /bin/sh -c 'bash -s'", script)
    assert result.returncode == 0, result.stderr
    assert "before:  active" in result.stdout
    state = Path(SSH["doubles_state"])
    assert "systemctl restart -- web.service" in (state / "calls.log").read_text()
    assert (state / "pcm-ops" / "linux-service" / "web.service.prev").read_text() == "active\n"
    _, validation = render("linux-service", "restart", "validation", unit="web.service", wait_seconds=0)
    assert remote("sudo -n -- /bin/sh -c 'bash -s'", validation).returncode == 0


def test_doubles_refuse_to_run_without_their_state_directory(tmp_path):
    env = {"PATH": f"{DOUBLES}:/usr/bin:/bin", "HOME": str(tmp_path)}
    for name in ("systemctl", "apt-get", "dnf", "sftd"):
        result = subprocess.run([str(DOUBLES / name), "--version"], capture_output=True, text=True, env=env)
        assert result.returncode == 70 and "PCMOPS_DOUBLES_STATE is not set" in result.stderr
    assert not list(tmp_path.iterdir())
