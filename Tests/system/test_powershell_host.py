"""The fake Windows host behind the interpreter: seeding and inspecting it (JSON-able), and state
changes that are real in the fake (services and their processes, files in use, hashes, CIM
classes, drives, the clock, concurrent scripts)."""
import datetime
import hashlib
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "winrm_emulator"))

from pwsh import HostState, Process, Service, run_script  # noqa: E402
from pwsh.testing import run  # noqa: E402


def quick(name="WIN01"):
    host = HostState.default(name)
    host.real_sleep = 0
    return host


def lines(script, host):
    result = run(script, host)
    assert result.code == 0, str(result)
    return result.lines


# --- seeding and inspecting -------------------------------------------------------------------------------

def test_default_host_is_typical_and_json_able():
    host = HostState.default("SRV42")
    data = json.loads(json.dumps(host.to_dict()))
    assert data["computer_name"] == "SRV42" and data["elevated"] is True and data["real_sleep"] == 1.0
    assert {s["name"] for s in data["services"]} == {"WinRM", "Spooler", "wuauserv"}
    assert [d["name"] for d in data["disks"]] == ["C:", "D:"]
    assert "C:\\Windows\\System32\\spoolsv.exe" in data["files"]
    running = {s["name"] for s in data["services"] if s["status"] == "Running"}
    assert running == {p["service"] for p in data["processes"] if p["service"]}


def test_from_dict_to_dict_round_trip_keeps_everything():
    host = quick()
    host.add_file(r"C:\data\blob.bin", bytes(range(256)), version="2.0.0.1")
    host.add_file(r"C:\data\note.txt", "h\u00e9llo \u6771\u4eac")
    host.add_service(Service("Custom", "Custom one", "Stopped", "Manual", r"C:\data\custom.exe", fails_to_start=True,
                             stop_delay_seconds=3, broken_binaries=["ab" * 32]))
    host.reparse_points.add(r"c:\data")
    host.elevated = False
    data = host.to_dict()
    again = HostState.from_dict(json.loads(json.dumps(data)))
    assert again.to_dict() == data
    assert again.file(r"c:\DATA\BLOB.bin").data == bytes(range(256))
    assert data["files"][r"C:\data\blob.bin"]["base64"] and data["files"][r"C:\data\note.txt"]["text"] == \
        "h\u00e9llo \u6771\u4eac"
    assert again.services["custom"].fails_to_start and again.is_reparse_point(r"C:\Data")


def test_from_dict_accepts_a_small_seed():
    host = HostState.from_dict({"computer_name": "TINY", "files": {r"C:\a\b.txt": "text"},
                                "services": [{"name": "Svc", "status": "Running", "binary_path": r"C:\a\svc.exe"}]})
    assert host.is_dir(r"C:\a") and host.file(r"C:\a\b.txt").data == b"text"
    service = host.services["svc"]
    assert service.display_name == "Svc" and service.process_name == "svc"
    assert [p.name for p in host.processes] == ["svc"]


# --- services and processes ---------------------------------------------------------------------------------

def test_stopping_a_service_ends_its_process_and_starting_it_starts_a_new_one():
    host = quick()
    old = [p.id for p in host.processes if p.name == "spoolsv"]
    assert lines("Stop-Service Spooler; (Get-Service Spooler).Status; @(Get-Process spoolsv -EA SilentlyContinue).Count",
                 host) == ["Stopped", "0"]
    assert lines("Start-Service Spooler; $p = Get-Process spoolsv; $p.Count; (Get-CimInstance Win32_Service "
                 "-Filter \"Name='Spooler'\").ProcessId -eq $p.Id", host) == ["1", "True"]
    assert [p.id for p in host.processes if p.name == "spoolsv"] != old


def test_service_controller_status_is_a_snapshot_until_refresh():
    host = quick()
    assert lines("$s = Get-Service Spooler\nStop-Service Spooler\n$s.Status\n$s.Refresh()\n$s.Status", host) == [
        "Running", "Stopped"]


def test_stop_delay_advances_the_clock_and_wait_for_status_times_out():
    host = quick()
    host.services["spooler"].stop_delay_seconds = 8
    before = host.now
    assert lines("Stop-Service Spooler", host) == []
    assert 8 <= (host.now - before).total_seconds() < 9
    result = run("$s = Get-Service Spooler\ntry { $s.WaitForStatus('Running', [TimeSpan]::FromSeconds(20)) } catch "
                 "{ $_.Exception.Message }", host)
    assert result.lines == ['Exception calling "WaitForStatus" with "2" argument(s): "Time out has expired and the '
                            'operation has not been completed."']
    assert 28 <= (host.now - before).total_seconds() < 29


def test_a_service_that_crashes_after_starting():
    host = quick()
    host.services["spooler"].crash_after_seconds = 4
    assert lines("Restart-Service Spooler\n(Get-Service Spooler).Status\nStart-Sleep -Seconds 5\n"
                 "(Get-Service Spooler).Status", host) == ["Running", "Stopped"]
    assert not [p for p in host.processes if p.name == "spoolsv"]


def test_a_pending_service_settles_at_its_time_and_a_hung_one_refuses_control():
    host = quick()
    service = host.services["wuauserv"]
    service.status = "StartPending"
    service.settles_at = (host.now + datetime.timedelta(seconds=20)).isoformat()
    before = host.now
    assert lines("$s = Get-Service wuauserv\n$s.Status\n$s.WaitForStatus('Running', [TimeSpan]::FromSeconds(30))\n"
                 "$s.Status\n@(Get-Process svchost).Count", host) == ["StartPending", "Running", "2"]
    assert 20 <= (host.now - before).total_seconds() < 21
    service = host.services["spooler"]
    service.status = "StopPending"
    result = run("Start-Service Spooler", host)
    assert result.code == 1 and "cannot be started" in result.errors[0]
    assert host.services["spooler"].status == "StopPending"


def test_a_service_without_its_binary_or_with_a_broken_one_does_not_start():
    host = quick()
    host.stop_service(host.services["spooler"])
    host.files.pop(r"c:\windows\system32\spoolsv.exe")
    result = run("Start-Service Spooler", host)
    assert result.code == 1 and result.errors == [
        "Start-Service : Service 'Print Spooler (Spooler)' cannot be started due to the following error: Cannot start "
        "service Spooler on computer '.'."]
    host.add_file(r"C:\Windows\System32\spoolsv.exe", b"corrupt")
    host.services["spooler"].broken_binaries = [hashlib.sha256(b"corrupt").hexdigest()]
    assert run("Start-Service Spooler", host).code == 1
    host.services["spooler"].broken_binaries = []
    assert run("Start-Service Spooler", host).code == 0


def test_stopping_the_process_stops_its_service_and_system_processes_are_protected():
    host = quick()
    result = run("Get-Process spoolsv | Stop-Process -Force\n(Get-Service Spooler).Status\nStop-Process -Id 4", host)
    assert result.lines == ["Stopped"]
    assert result.errors == ['Stop-Process : Cannot stop process "System (4)" because of the following error: Access '
                             'is denied']


def test_set_service_start_type_and_disabled_services():
    host = quick()
    assert lines("Set-Service wuauserv -StartupType Disabled\n(Get-CimInstance Win32_Service -Filter "
                 "\"Name='wuauserv'\").StartMode", host) == ["Disabled"]
    assert run("Start-Service wuauserv -ErrorAction Stop", host).code == 1
    result = run("Set-Service wuauserv -StartupType Sometimes", host)
    assert result.code == 1 and "Unable to match the identifier name Sometimes" in result.errors[0]


def test_get_service_wildcards_and_get_process_errors():
    host = quick()
    assert lines("(Get-Service -Name 'w*' | ForEach-Object { $_.Name }) -join ','\n(Get-Service).Count", host) == [
        "WinRM,wuauserv", "3"]
    result = run("Get-Process -Name nothing\nGet-Process -Id 99999", host)
    assert result.errors == ['Get-Process : Cannot find a process with the name "nothing". Verify the process name '
                             'and call the cmdlet again.',
                             "Get-Process : Cannot find a process with the process identifier 99999."]


# --- files ------------------------------------------------------------------------------------------------

def test_get_file_hash_is_the_real_sha256_of_the_fake_bytes():
    host = quick()
    host.add_file(r"\\fs01\share\pkg.zip", b"payload")
    assert lines(r"(Get-FileHash -LiteralPath \\fs01\share\pkg.zip -Algorithm SHA256).Hash" + "\n" +
                 r"(Get-FileHash \\fs01\share\pkg.zip -Algorithm MD5).Hash", host) == [
        hashlib.sha256(b"payload").hexdigest().upper(), hashlib.md5(b"payload").hexdigest().upper()]


def test_file_cmdlets():
    host = quick()
    host.add_file(r"C:\app\app.exe", b"v1", version="1.0.0.0")
    script = "\n".join([
        r"Test-Path C:\app\app.exe; Test-Path C:\app -PathType Leaf; Test-Path C:\app -PathType Container",
        r"Test-Path \\fs09\nothing\x.exe",
        r"New-Item -ItemType Directory -Path C:\app\backup -Force | Out-Null",
        r"Copy-Item -LiteralPath C:\app\app.exe -Destination C:\app\backup",
        r"(Get-Item C:\app\backup\app.exe).VersionInfo.FileVersion",
        r"Get-ChildItem C:\app | ForEach-Object { '{0} {1}' -f $_.Name, $_.PSIsContainer }",
        r"Get-ChildItem C:\app -Recurse -File -Filter '*.exe' | ForEach-Object FullName",
        r"Set-Content -LiteralPath C:\app\note.txt -Value 'one', 'two' -Encoding UTF8",
        r"Get-Content C:\app\note.txt -TotalCount 1; (Get-Content C:\app\note.txt -Raw).Length",
        r"Remove-Item C:\app\backup -Recurse -Force; Test-Path C:\app\backup",
        r"Join-Path C:\app 'x\y.txt'; Split-Path -Parent C:\app\app.exe; Split-Path -Leaf C:\app\app.exe",
        r"(Get-Item C:\app\app.exe).Length; (Get-Item C:\app).Attributes",
    ])
    assert lines(script, host) == [
        "True", "False", "True", "False", "1.0.0.0", "backup True", "app.exe False", r"C:\app\app.exe",
        r"C:\app\backup\app.exe", "one", "10", "False", r"C:\app\x\y.txt", r"C:\app", "app.exe", "2", "Directory"]
    assert host.file(r"C:\app\note.txt").data == b"\xef\xbb\xbfone\r\ntwo\r\n"


def test_file_errors_are_windows_errors():
    host = quick()
    host.add_file(r"C:\app\app.exe", b"v1")
    host.add_process(Process("app", 7000, r"C:\app\app.exe"))
    result = run("\n".join([r"Copy-Item C:\nope.exe C:\app", r"Copy-Item C:\app\app.exe C:\missing\dir\x.exe",
                            r"Set-Content C:\app\app.exe 'x'", r"Remove-Item C:\app\app.exe",
                            r"New-Item -ItemType Directory C:\app", r"Get-Content C:\app"]), host)
    assert result.errors == [
        r"Copy-Item : Cannot find path 'C:\nope.exe' because it does not exist.",
        r"Copy-Item : Could not find a part of the path 'C:\missing\dir\x.exe'.",
        r"Set-Content : The process cannot access the file 'C:\app\app.exe' because it is being used by another "
        r"process.",
        r"Remove-Item : Cannot remove item C:\app\app.exe: The process cannot access the file 'C:\app\app.exe' "
        r"because it is being used by another process.",
        r"New-Item : An item with the specified name C:\app already exists.",
        r"Get-Content : Unable to get content because it is a directory: 'C:\app'. Please use 'Get-ChildItem' "
        r"instead."]
    assert host.file(r"C:\app\app.exe").data == b"v1"


def test_relative_paths_and_encodings_as_windows_powershell_reads_them():
    host = quick()
    assert lines("Set-Content rel.txt 'caf\u00e9'\n(Get-Item rel.txt).FullName\nGet-Content rel.txt", host) == [
        r"C:\Users\Administrator\Documents\rel.txt", "caf\u00e9"]
    assert host.file(r"C:\Users\Administrator\Documents\rel.txt").data == "caf\u00e9\r\n".encode("cp1252")
    host.add_file(r"C:\utf8.txt", "\u6771\u4eac\n".encode("utf-8"))
    assert lines(r"Get-Content C:\utf8.txt -Encoding UTF8", host) == ["\u6771\u4eac"]


# --- CIM, drives, clock -----------------------------------------------------------------------------------

def test_cim_classes_and_wql_filters():
    host = quick()
    script = "\n".join([
        "(Get-CimInstance Win32_LogicalDisk -Filter 'DriveType = 3 AND DeviceID = \"D:\"').VolumeName",
        "(Get-CimInstance -ClassName Win32_Service -Filter \"State='Running' OR Name LIKE 'wu%'\").Count",
        "$os = Get-CimInstance Win32_OperatingSystem; $os.LastBootUpTime.Year; $os.TotalVisibleMemorySize",
        "(Get-WmiObject -Class Win32_OperatingSystem).LastBootUpTime",
        "(Get-CimInstance Win32_ComputerSystem).Name",
    ])
    assert lines(script, host) == ["Data", "3", "2024", str(host.memory["total_kb"]), "20240501061240.000000+000",
                                   "WIN01"]
    result = run("Get-CimInstance Win32_Service -Filter \"Name = \"", host)
    assert result.code == 1 and result.errors == ["Get-CimInstance : Invalid query "]


def test_get_psdrive():
    host = quick()
    assert lines("Get-PSDrive -PSProvider FileSystem | ForEach-Object { '{0} {1} {2}' -f $_.Name, $_.Used, $_.Free }",
                 host) == [f"C {66 * 2**30} {61 * 2**30}", f"D {90 * 2**30} {410 * 2**30}"]


def test_the_clock_moves_only_by_what_scripts_wait_plus_a_tick_per_statement():
    host = quick()
    start = host.now
    run("$a = 1\n$b = 2", host)
    assert datetime.timedelta(0) < host.now - start < datetime.timedelta(seconds=1)
    run("Start-Sleep -Seconds 3600", host)
    assert datetime.timedelta(hours=1) < host.now - start < datetime.timedelta(hours=1, seconds=1)


def test_a_sleeping_script_lets_another_script_use_the_host():
    host = HostState.default()
    host.real_sleep = 1.0
    records = []
    cancel = threading.Event()
    sleeper = threading.Thread(target=run_script, args=("Start-Sleep -Seconds 30", host, "",
                                                        lambda k, t: None, cancel))
    sleeper.start()
    time.sleep(0.2)
    started = time.monotonic()
    code = run_script("(Get-Service Spooler).Status", host, "", lambda k, t: records.append(t), threading.Event())
    assert code == 0 and records == ["Running"] and time.monotonic() - started < 2
    cancel.set()
    sleeper.join(5)
    assert not sleeper.is_alive()


def test_environment_and_identity_follow_the_host():
    host = quick("APP9")
    host.user = "svc-ops"
    host.env["PCM_ROLE"] = "blue"
    assert lines("$env:USERNAME; $env:PCM_ROLE; [Security.Principal.WindowsIdentity]::GetCurrent().Name; $HOME",
                 host) == ["svc-ops", "blue", "APP9\\svc-ops", "C:\\Users\\svc-ops"]
