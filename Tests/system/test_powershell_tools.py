"""The Windows tools of the catalog run for real on the emulator's PowerShell interpreter: every
action of windows-system, windows-service and windows-service-update, rendered as OpsCore renders
it and sent as the WinRM transport sends it (the bootstrap, the script on stdin), against seeded
fake hosts; success and failure paths, with the final state of the host checked."""
import datetime
import hashlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "winrm_emulator"))

from pwsh import HostState, Process, Service  # noqa: E402
from pwsh.catalog import BOOTSTRAP, ELEVATION_CHECK, render  # noqa: E402
from pwsh.testing import run, run_phase, run_workflow  # noqa: E402

TARGET = r"C:\Program Files\StationController\StationController.exe"
SOURCE = r"\\fs01\deploy\StationController\StationController.exe"
BACKUPS = r"C:\Program Files\StationController\backup"
OLD = b"MZ StationController 1.4.2"
NEW = b"MZ StationController 1.5.0"
UPDATE = {"source_path": SOURCE, "target_path": TARGET}
STATE = r"C:\ProgramData\pcm-ops\windows-service"


def sha(data):
    return hashlib.sha256(data).hexdigest().upper()


@pytest.fixture
def host():
    """A CIS server: StationController running from TARGET, the new build on a share."""
    host = HostState.default("CIS01")
    host.real_sleep = 0
    host.add_file(TARGET, OLD, version="1.4.2.0")
    host.add_file(SOURCE, NEW, version="1.5.0.0")
    host.add_service(Service("StationController", "Station Controller", "Running", "Automatic",
                             f'"{TARGET}" -service', "StationController"))
    return host


def pids(host, name):
    return [p.id for p in host.processes if p.name == name]


def prev(host, name):
    entry = host.file(STATE + "\\" + name + ".prev")
    return None if entry is None else entry.data.decode("ascii")


# --- the transport's fixed pieces -------------------------------------------------------------------------

def test_the_elevation_check_answers_from_the_host(host):
    assert run(ELEVATION_CHECK, host).lines == ["elevated"]
    host.elevated = False
    assert run(ELEVATION_CHECK, host).lines == ["not-elevated"]


def test_the_bootstrap_runs_the_script_from_stdin_and_returns_its_exit_code(host):
    _, text = render("windows-system", "service-status", service="nosuch")
    direct = run(text, host)
    through = run(BOOTSTRAP, host, stdin=text)
    assert direct.code == through.code == 4
    assert direct.records == through.records == [("stderr", "error: service 'nosuch' does not exist on CIS01\r\n")]
    assert run(BOOTSTRAP, host, stdin="'\u6771\u4eac'\nexit 5").records == [("stdout", "\u6771\u4eac")]
    assert run(BOOTSTRAP, host, stdin="'\u6771\u4eac'\nexit 5").code == 5
    assert run(BOOTSTRAP, host, stdin="").code == 0


# --- windows-system ---------------------------------------------------------------------------------------

def test_ping(host):
    result = run_phase(host, "windows-system", "ping")
    assert result.code == 0 and result.lines == ["ok: CIS01, PowerShell 5.1.17763.1852"]


def test_uptime(host):
    result = run_phase(host, "windows-system", "uptime")
    assert result.code == 0, str(result)
    assert result.lines == ["host:      CIS01", "windows:   Microsoft Windows Server 2019 Standard (10.0.17763)",
                            "booted:    2024-05-01 06:12:40", "uptime:    5d 3h 17m",
                            f"load:      7% CPU (cpus: 4), {len(host.processes)} processes"]


def test_disk_passes_under_the_threshold(host):
    result = run_phase(host, "windows-system", "disk")
    assert result.code == 0 and result.stderr == ""
    assert result.lines == ["DRIVE    SIZE(GB)   FREE(GB)    USED", "C:          127.0       61.0   52.0%",
                            "D:          500.0      410.0   18.0%"]


def test_disk_fails_above_the_threshold_naming_the_disks(host):
    host.disks[1]["free"] = 10 * 2**30
    result = run_phase(host, "windows-system", "disk", threshold=95)
    assert result.code == 1
    assert result.stderr == "error: above 95% used: D: 98.0%\r\n"
    assert result.lines[2] == "D:          500.0       10.0   98.0%  <-- above 95%"
    result = run_phase(host, "windows-system", "disk", threshold=50)
    assert result.code == 1 and result.stderr == "error: above 50% used: C: 52.0%, D: 98.0%\r\n"


def test_disk_ignores_other_drive_types_and_fails_without_a_fixed_disk(host):
    host.disks.append({"name": "E:", "size": 4 * 2**30, "free": 0, "drive_type": 5})
    assert run_phase(host, "windows-system", "disk").code == 0
    host.disks = [d for d in host.disks if d["drive_type"] != 3]
    result = run_phase(host, "windows-system", "disk")
    assert result.code == 1 and result.stderr == "error: no local fixed disk found on CIS01\r\n"


def test_memory(host):
    host.memory.update(total_kb=8 * 2**20, free_kb=2 * 2**20, total_virtual_kb=12 * 2**20, free_virtual_kb=4 * 2**20)
    result = run_phase(host, "windows-system", "memory")
    assert result.code == 0, str(result)
    assert result.lines[:3] == ["memory:    6,144 MiB used of 8,192 MiB (75%)", "commit:    8,192 MiB used of 12,288 MiB",
                                "top:"]
    assert result.lines[3].split()[:4] == ["wsmprovhost", "PID", "3120", "72"]
    assert len(result.lines) == 8


def test_service_status(host):
    result = run_phase(host, "windows-system", "service-status", service="stationcontroller")
    assert result.code == 0, str(result)
    pid = pids(host, "StationController")[0]
    assert result.lines == ["service:   StationController (Station Controller)", "status:    Running",
                            "start:     Auto", f"process:   StationController (PID {pid}, 48 MiB)"]
    result = run_phase(host, "windows-system", "service-status", service="wuauserv")
    assert result.code == 3 and result.stderr == "error: service 'wuauserv' is Stopped, not Running\r\n"
    result = run_phase(host, "windows-system", "service-status", service="Missing Service")
    assert result.code == 4 and result.stderr == "error: service 'Missing Service' does not exist on CIS01\r\n"


def test_process_status(host):
    host.add_process(Process("StationController", 9001, TARGET, 12.25, 100 * 2**20, "2024-05-06T08:00:00"))
    result = run_phase(host, "windows-system", "process-status", process="StationController.exe")
    assert result.code == 0, str(result)
    first = pids(host, "StationController")[0]
    assert result.lines[0] == "process:   StationController, 2 running"
    assert result.lines[1].startswith(f"  PID {first:<7} CPU 3.5 s      ")
    assert result.lines[2] == f"  PID 9001    CPU 12.3 s        100.0 MiB  started 2024-05-06 08:00:00  {TARGET}"
    result = run_phase(host, "windows-system", "process-status", process="notepad")
    assert result.code == 3 and result.stderr == "error: no process named 'notepad' runs on CIS01\r\n"


def test_process_status_without_elevation_shows_what_windows_shows(host):
    host.elevated = False
    result = run_phase(host, "windows-system", "process-status", process="StationController")
    assert result.code == 0
    assert result.lines[1].endswith("MiB  started n/a  ") and "CPU n/a" in result.lines[1]


def test_health_workflow_goes_on_after_a_failed_check(host):
    host.disks[0]["free"] = 1 * 2**30
    steps = run_workflow(host, "windows-system", "health")
    assert [(s.action, s.status) for s in steps] == [("ping", "ok"), ("uptime", "ok"), ("disk", "failed"),
                                                     ("memory", "ok")]


# --- windows-service --------------------------------------------------------------------------------------

def test_status(host):
    result = run_phase(host, "windows-service", "status", service="StationController")
    assert result.code == 0, str(result)
    assert result.lines[:5] == ["service:   StationController (Station Controller)", "status:    Running",
                                "start:     Auto", "account:   LocalSystem", f'binary:    "{TARGET}" -service']
    assert result.lines[5].startswith("process:   StationController (PID ")
    assert len(result.lines) == 6
    result = run_phase(host, "windows-service", "status", service="nosuch")
    assert result.code == 3 and result.stderr == "error: service 'nosuch' does not exist on CIS01\r\n"


def test_start_saves_the_state_starts_and_validates(host):
    result = run_phase(host, "windows-service", "start", service="wuauserv")
    assert result.code == 0, str(result)
    assert result.lines == ["service:   wuauserv (Windows Update)",
                            f"before:    Stopped (saved to {STATE}\\wuauserv.prev)", "action:    Start-Service wuauserv",
                            "after:     Running"]
    assert prev(host, "wuauserv") == "Stopped\r\n"
    assert host.services["wuauserv"].status == "Running" and pids(host, "svchost")
    check = run_phase(host, "windows-service", "start", "validation", service="wuauserv")
    assert check.code == 0 and check.lines == ["check:     wuauserv is Running"]
    status = run_phase(host, "windows-service", "status", service="wuauserv")
    assert status.lines[-1] == f"saved:     Stopped before the last change ({STATE}\\wuauserv.prev)"


def test_start_of_a_disabled_service_is_refused_before_anything_changes(host):
    host.services["wuauserv"].start_type = "Disabled"
    result = run_phase(host, "windows-service", "start", service="wuauserv")
    assert result.code == 1
    assert result.stderr == ("error: service 'wuauserv' is disabled; set its start type to Manual or Automatic "
                             "first\r\n")
    assert prev(host, "wuauserv") is None and host.services["wuauserv"].status == "Stopped"


def test_stop_then_rollback_puts_the_service_back(host):
    before = pids(host, "spoolsv")
    result = run_phase(host, "windows-service", "stop", service="Spooler")
    assert result.code == 0, str(result)
    assert result.lines[-1] == "after:     Stopped" and pids(host, "spoolsv") == []
    assert prev(host, "Spooler") == "Running\r\n"
    assert run_phase(host, "windows-service", "stop", "validation", service="Spooler").lines == [
        "check:     Spooler is Stopped"]
    rollback = run_phase(host, "windows-service", "stop", "rollback", service="Spooler")
    assert rollback.code == 0, str(rollback)
    assert rollback.lines == ["rollback:  Spooler was Running before the change, is Stopped now",
                              "rollback:  Spooler is Running again"]
    assert host.services["spooler"].status == "Running" and pids(host, "spoolsv") != before != []


def test_stop_that_fails_is_reported_and_the_rollback_finds_it_running(host):
    host.services["spooler"].fails_to_stop = True
    result = run_phase(host, "windows-service", "stop", service="Spooler")
    assert result.code == 1
    assert result.stderr == ("error: Stop-Service Spooler failed: Service 'Print Spooler (Spooler)' cannot be stopped "
                             "due to the following error: Cannot stop Spooler service on computer '.'. The service is "
                             "now Running.\r\n")
    rollback = run_phase(host, "windows-service", "stop", "rollback", service="Spooler")
    assert rollback.code == 0 and rollback.lines[-1] == "rollback:  Spooler is Running again"


def test_restart_gives_a_new_process(host):
    before = pids(host, "StationController")
    result = run_phase(host, "windows-service", "restart", service="StationController", wait_seconds=0)
    assert result.code == 0, str(result)
    assert result.lines[2] == "action:    Restart-Service StationController -Force"
    after = pids(host, "StationController")
    assert len(after) == 1 and after != before
    assert run_phase(host, "windows-service", "restart", "validation", service="StationController",
                     wait_seconds=0).code == 0


def test_validation_waits_for_the_status_then_fails(host):
    started = host.now
    result = run_phase(host, "windows-service", "start", "validation", service="wuauserv", wait_seconds=12)
    assert result.code == 1
    assert result.stderr == "error: service 'wuauserv' is Stopped, expected Running (waited 12 s)\r\n"
    assert 12 <= (host.now - started).total_seconds() < 13


def test_validation_sees_a_service_that_comes_up_while_it_waits(host):
    service = host.services["wuauserv"]
    service.status = "Stopped"
    assert run_phase(host, "windows-service", "stop", "validation", service="StationController",
                     wait_seconds=0).code == 1
    host.services["stationcontroller"].crash_after_seconds = 5
    run_phase(host, "windows-service", "restart", service="StationController")
    check = run_phase(host, "windows-service", "stop", "validation", service="StationController", wait_seconds=30)
    assert check.code == 0 and check.lines == ["check:     StationController is Stopped"]


def test_validation_waits_for_a_service_still_starting(host):
    service = host.services["wuauserv"]
    service.status = "StartPending"
    service.settles_at = (host.now + datetime.timedelta(seconds=20)).isoformat()
    result = run_phase(host, "windows-service", "start", "validation", service="wuauserv", wait_seconds=10)
    assert result.code == 1
    assert result.stderr == "error: service 'wuauserv' is StartPending, expected Running (waited 10 s)\r\n"
    result = run_phase(host, "windows-service", "start", "validation", service="wuauserv", wait_seconds=30)
    assert result.code == 0 and result.lines == ["check:     wuauserv is Running"]


def test_the_state_folder_must_not_be_a_junction(host):
    host.mkdir(r"C:\ProgramData\pcm-ops")
    host.reparse_points.add(r"c:\programdata\pcm-ops")
    result = run_phase(host, "windows-service", "restart", service="Spooler")
    assert result.code == 1
    assert result.stderr == ("error: C:\\ProgramData\\pcm-ops is a junction or symbolic link; refusing to keep state "
                             "there\r\n")
    assert host.services["spooler"].status == "Running"


def test_a_state_file_left_by_someone_else_is_replaced(host):
    host.add_file(STATE + "\\Spooler.prev", "Stopped\r\nplanted\r\n")
    assert run_phase(host, "windows-service", "restart", service="Spooler").code == 0
    assert prev(host, "Spooler") == "Running\r\n"


def test_restore_without_saved_state_or_with_a_bad_one_fails(host):
    result = run_phase(host, "windows-service", "restart", "rollback", service="Spooler")
    assert result.code == 1
    assert result.stderr == f"error: no saved state for Spooler ({STATE}\\Spooler.prev); nothing to restore\r\n"
    host.add_file(STATE + "\\Spooler.prev", "Paused\r\n")
    result = run_phase(host, "windows-service", "restart", "rollback", service="Spooler")
    assert result.code == 1 and "the saved state 'Paused'" in result.stderr


def test_safe_restart_workflow(host):
    steps = run_workflow(host, "windows-service", "safe-restart", service="StationController")
    assert [(s.action, s.status) for s in steps] == [("status", "ok"), ("restart", "ok")]
    assert "validation" in steps[1].results and "rollback" not in steps[1].results


def test_safe_restart_stops_when_the_service_does_not_exist(host):
    steps = run_workflow(host, "windows-service", "safe-restart", service="Gone")
    assert [(s.action, s.status) for s in steps] == [("status", "failed")]
    assert steps[0].results["script"].code == 3


def test_safe_restart_rolls_back_a_service_that_does_not_come_back(host):
    host.services["stationcontroller"].fails_to_start = True
    steps = run_workflow(host, "windows-service", "safe-restart", service="StationController")
    assert [(s.action, s.status) for s in steps] == [("status", "ok"), ("restart", "failed")]
    rollback = steps[1].results["rollback"]
    assert rollback.code == 1 and "rollback could not restore StationController: it is Stopped, expected Running" \
        in rollback.stderr


def test_change_actions_need_an_elevated_session(host):
    host.elevated = False
    steps = run_workflow(host, "windows-service", "safe-restart", service="Spooler")
    assert [(s.action, s.status) for s in steps] == [("status", "ok"), ("restart", "admin")]
    assert steps[1].results["admin"].lines == ["not-elevated"] and "script" not in steps[1].results
    assert host.services["spooler"].status == "Running" and prev(host, "Spooler") is None


# --- windows-service-update ---------------------------------------------------------------------------------

def backups(host):
    return sorted(p for p in host.children(BACKUPS) if p.endswith(".exe")) if host.is_dir(BACKUPS) else []


def test_check_process_reports_and_changes_nothing(host):
    before = host.to_dict()
    result = run_phase(host, "windows-service-update", "check-process", **UPDATE)
    assert result.code == 0, str(result)
    pid = pids(host, "StationController")[0]
    assert result.lines == [
        "service:   StationController (Station Controller): Running, start Auto",
        f'binary:    "{TARGET}" -service',
        f"process:   StationController running (PID {pid})",
        f"current:   {TARGET}, version 1.4.2.0, {len(OLD)} bytes, modified 2024-05-06 09:30",
        f"           sha256 {sha(OLD)}",
        f"new:       {SOURCE}, version 1.5.0.0, {len(NEW)} bytes",
        f"           sha256 {sha(NEW)}",
        f"backups:   none yet ({BACKUPS} will be created)"]
    after = host.to_dict()
    assert {k: v for k, v in after.items() if k != "now"} == {k: v for k, v in before.items() if k != "now"}


def test_check_process_fails_when_the_source_is_unreachable(host):
    steps = run_workflow(host, "windows-service-update", "update", source_path=r"\\fs02\nowhere\sc.exe",
                         target_path=TARGET)
    assert [(s.action, s.status) for s in steps] == [("check-process", "failed")]
    assert steps[0].results["script"].stderr == "error: source \\\\fs02\\nowhere\\sc.exe is not reachable from CIS01\r\n"
    assert host.services["stationcontroller"].status == "Running"


def test_update_end_to_end(host):
    steps = run_workflow(host, "windows-service-update", "update", **UPDATE)
    assert [(s.action, s.status) for s in steps] == [
        ("check-process", "ok"), ("stop-service", "ok"), ("replace-binary", "ok"), ("start-service", "ok"),
        ("verify", "ok")], "\n".join(str(r) for s in steps for r in s.results.values())
    assert host.file(TARGET).data == NEW and host.file(TARGET).version == "1.5.0.0"
    [backup] = backups(host)
    assert backup == BACKUPS + "\\StationController.20240506-093000.exe"
    assert host.file(backup).data == OLD
    assert host.file(BACKUPS + "\\StationController.last-backup.txt").data == b"\xef\xbb\xbf" + backup.encode() + b"\r\n"
    assert host.services["stationcontroller"].status == "Running" and pids(host, "StationController")
    verify = steps[4].results["script"]
    assert verify.lines[-1] == "result:    updated and running"
    assert f"binary:    {TARGET}, version 1.5.0.0, sha256 {sha(NEW)}" in verify.lines


def test_update_rolls_back_when_the_new_binary_does_not_start(host):
    host.services["stationcontroller"].broken_binaries = [sha(NEW)]
    steps = run_workflow(host, "windows-service-update", "update", **UPDATE)
    assert [(s.action, s.status) for s in steps] == [
        ("check-process", "ok"), ("stop-service", "ok"), ("replace-binary", "ok"), ("start-service", "failed")]
    start = steps[3].results["script"]
    assert start.code == 1 and "error: service 'StationController' did not start within 120 s (status Stopped)" \
        in start.stderr
    rollback = steps[3].results["rollback"]
    assert rollback.code == 0, str(rollback)
    assert rollback.lines == [f"restored:  {TARGET} from {backups(host)[0]} (version 1.4.2.0)", "service:   Running"]
    assert host.file(TARGET).data == OLD
    assert host.services["stationcontroller"].status == "Running" and pids(host, "StationController")
    assert not host.is_file(BACKUPS + "\\StationController.last-backup.txt")


def test_update_rolls_back_when_the_service_stops_again(host):
    host.services["stationcontroller"].crash_after_seconds = 3
    steps = run_workflow(host, "windows-service-update", "update", **UPDATE)
    assert [(s.action, s.status) for s in steps][-1] == ("start-service", "failed")
    assert "stopped again after starting (status Stopped)" in steps[-1].results["script"].stderr
    host.services["stationcontroller"].crash_after_seconds = None
    assert steps[-1].results["rollback"].code == 0
    assert host.file(TARGET).data == OLD


def test_update_rolls_back_when_verify_fails(host):
    steps = run_workflow(host, "windows-service-update", "update", **UPDATE)
    assert steps[-1].status == "ok"
    host.add_file(SOURCE, b"MZ StationController 1.5.1 (republished)", version="1.5.1.0")
    verify = run_phase(host, "windows-service-update", "verify", **UPDATE)
    assert verify.code == 1 and "target sha256" in verify.stderr and "is not the source's" in verify.stderr
    rollback = run_phase(host, "windows-service-update", "verify", "rollback", **UPDATE)
    assert rollback.code == 0, str(rollback)
    assert host.file(TARGET).data == OLD and host.services["stationcontroller"].status == "Running"


def test_rollback_before_any_backup_only_starts_the_service(host):
    run_phase(host, "windows-service-update", "stop-service", **UPDATE)
    result = run_phase(host, "windows-service-update", "replace-binary", "rollback", **UPDATE)
    assert result.code == 0, str(result)
    assert result.lines == [f"restored:  nothing: this update made no backup, so {TARGET} was not replaced",
                            "service:   Running"]
    assert host.file(TARGET).data == OLD and host.services["stationcontroller"].status == "Running"


def test_stop_service_ends_a_lingering_process(host):
    host.services["stationcontroller"].process_lingers = True
    result = run_phase(host, "windows-service-update", "stop-service", **UPDATE)
    assert result.code == 0, str(result)
    assert result.lines[1].startswith("note:      StationController still running after the stop (PID ")
    assert result.lines[-1] == "after:     Stopped, no StationController process"
    assert pids(host, "StationController") == []


def test_stop_service_failure(host):
    host.services["stationcontroller"].fails_to_stop = True
    result = run_phase(host, "windows-service-update", "stop-service", **UPDATE)
    assert result.code == 1
    assert result.stderr.startswith("error: service 'StationController' did not stop within 120 s (status Running)")


def test_replace_binary_refuses_a_running_service_and_a_locked_file(host):
    result = run_phase(host, "windows-service-update", "replace-binary", **UPDATE)
    assert result.code == 1 and result.stderr == ("error: service 'StationController' is Running; stop it "
                                                  "first\r\n")
    assert host.file(TARGET).data == OLD
    host.services["stationcontroller"].process_lingers = True
    host.stop_service(host.services["stationcontroller"])
    result = run_phase(host, "windows-service-update", "replace-binary", **UPDATE)
    assert result.code == 1
    assert "used by another process" in result.stderr and host.file(TARGET).data == OLD


def test_replace_binary_keeps_the_newest_backups(host):
    for day in range(1, 7):
        host.add_file(BACKUPS + f"\\StationController.2024050{day}-120000.exe", b"old %d" % day)
    host.add_file(BACKUPS + "\\StationController.notes.exe", b"not a backup")
    run_phase(host, "windows-service-update", "stop-service", **UPDATE)
    result = run_phase(host, "windows-service-update", "replace-binary", keep_backups=3, **UPDATE)
    assert result.code == 0, str(result)
    assert result.lines[-1] == "pruned:    4 old backup(s), keeping 3"
    assert backups(host) == [BACKUPS + "\\StationController." + name + ".exe" for name in
                             ("20240505-120000", "20240506-093000", "20240506-120000", "notes")]


def test_update_with_quotes_and_cjk_in_the_paths():
    target = "C:\\Program Files\\O\u2019Brien's \u6771\u4eac\\sc.exe"
    source = "\\\\fs01\\drop\\\u2018new\u2019\\sc.exe"
    host = HostState.default("CIS02")
    host.real_sleep = 0
    host.add_file(target, OLD, version="1.0.0.0")
    host.add_file(source, NEW, version="2.0.0.0")
    host.add_service(Service("SC", "SC", "Running", "Automatic", f'"{target}"', "sc"))
    steps = run_workflow(host, "windows-service-update", "update", service_name="SC", source_path=source,
                         target_path=target)
    assert [s.status for s in steps] == ["ok"] * 5, "\n".join(str(r) for s in steps for r in s.results.values())
    assert host.file(target).data == NEW
    assert f"current:   {target}, version 1.0.0.0" in steps[0].results["script"].stdout
    [backup] = [p for p in host.children("C:\\Program Files\\O\u2019Brien's \u6771\u4eac\\backup") if p.endswith(".exe")]
    assert host.file(backup).data == OLD
