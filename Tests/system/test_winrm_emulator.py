"""The WinRM emulator itself, proven against two independent real clients (pywinrm and pypsrp) before the Swift
client is judged against it: they must run commands on it with NTLM + message encryption over HTTP, NTLM with
channel binding over HTTPS and Basic over HTTPS, and it must refuse what Windows refuses. Needs no pcm-ops binary.
"""
import base64
import concurrent.futures
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest
import spnego._ntlm
import winrm
from pypsrp.client import Client
from pypsrp.exceptions import AuthenticationError, WSManFaultError as PsrpFault
from pypsrp.shell import CommandState, Process, SignalCode, WinRS
from pypsrp.wsman import WSMan
from winrm.exceptions import InvalidCredentialsError, WinRMOperationTimeoutError, WinRMTransportError, WSManFaultError

TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, TESTS)
from winrm_emulator import encryption  # noqa: E402
from winrm_emulator.testclient import RawClient, envelope  # noqa: E402

ADMIN = ("pcmops", "Adm1n-pass!")
LIMITED = ("pcmops-limited", "L1mited-pass!")
DOMAIN = ("EMULAB\\pcmops-domain", "D0main-pass!")
TIMED_OUT = 2150858793
INVALID_SELECTORS = 2150858843
SHELL_NS = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"


class Emulator:
    def __init__(self, state_dir, process):
        self.state_dir = state_dir
        self.process = process
        self.ports = json.load(open(os.path.join(state_dir, "ports.json")))
        self.http = self.ports["http_port"]
        self.https = self.ports["https_port"]
        self.ca = self.ports["ca"]
        self.interpreter = self.ports["interpreter"]

    def records(self, kind="command"):
        with open(self.ports["records"], encoding="utf-8") as f:
            return [r for r in map(json.loads, f) if r["kind"] == kind]

    def record(self, marker, timeout=30):
        """The command record whose command line contains `marker` (written when the command has ended)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [r for r in self.records() if marker in r["command_line"]]
            if found:
                assert len(found) == 1, found
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"no record for {marker}")

    def refusals(self, since=0):
        return self.records("refused")[since:]

    def control(self, path, method="GET", body=None):
        request = urllib.request.Request(f"http://127.0.0.1:{self.ports['control_port']}{path}", method=method,
                                         data=None if body is None else json.dumps(body).encode())
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def raw(self, user=ADMIN, tls=False, host=0, **kw):
        port = (self.https if tls else self.http) + host
        return RawClient(port, user[0], user[1], tls=tls, ca=self.ca, **kw)

    def pywinrm(self, transport="ntlm", tls=False, user=ADMIN, host=0, **kw):
        url = f"https://localhost:{self.https + host}/wsman" if tls else f"http://127.0.0.1:{self.http + host}/wsman"
        return winrm.Session(url, auth=user, transport=transport, server_cert_validation="validate",
                             ca_trust_path=self.ca, **kw)

    def protocol(self, transport="ntlm", tls=False, user=ADMIN, **kw):
        url = f"https://localhost:{self.https}/wsman" if tls else f"http://127.0.0.1:{self.http}/wsman"
        return winrm.Protocol(url, transport=transport, username=user[0], password=user[1],
                              server_cert_validation="validate", ca_trust_path=self.ca, **kw)

    def pypsrp(self, auth="ntlm", tls=False, user=ADMIN, host=0, **kw):
        port = (self.https if tls else self.http) + host
        return Client("localhost", port=port, username=user[0], password=user[1], ssl=tls, auth=auth,
                      cert_validation=self.ca, **kw)

    def wsman(self, auth="ntlm", tls=False, user=ADMIN, **kw):
        return WSMan("localhost", port=self.https if tls else self.http, username=user[0], password=user[1],
                     ssl=tls, auth=auth, cert_validation=self.ca, **kw)


def start_emulator(directory, *extra):
    users = directory / "users"
    users.write_text(f":{ADMIN[0]}:{ADMIN[1]}\n:{LIMITED[0]}:{LIMITED[1]}\nEMULAB:pcmops-domain:{DOMAIN[1]}\n")
    state_dir = str(directory / "state")
    env = dict(os.environ, PYTHONPATH=TESTS)
    with open(directory / "stderr.log", "w") as log:
        process = subprocess.Popen([sys.executable, "-m", "winrm_emulator", "--state-dir", state_dir, "--users",
                                    str(users), "--non-elevated", LIMITED[0], *extra],
                                   env=env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 60  # generous: RSA key generation on a loaded machine
    while not os.path.exists(os.path.join(state_dir, "ports.json")):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError("emulator did not start: " + open(directory / "stderr.log").read())
        time.sleep(0.05)
    return Emulator(state_dir, process)


def stop_emulator(emulator):
    emulator.process.send_signal(signal.SIGTERM)
    assert emulator.process.wait(timeout=60) == 0


@pytest.fixture(scope="module")
def emu(tmp_path_factory):
    emulator = start_emulator(tmp_path_factory.mktemp("winrm"), "--hosts", "3")
    yield emulator
    stop_emulator(emulator)


def marker():
    # Ends with a letter: `echo x1>&2` is a redirection of stream 1 in cmd.exe, not the text "x1".
    return "m" + uuid.uuid4().hex[:12] + "z"


def encoded(script):
    return base64.b64encode(script.encode("utf-16-le")).decode()


# Real clients run commands.


@pytest.mark.parametrize("transport,tls,auth,encrypted", [
    ("ntlm", False, "ntlm", True),  # NTLM over HTTP: sealed messages
    ("ssl", True, "basic", False),  # pywinrm's "ssl" is Basic over HTTPS
    ("basic", True, "basic", False),
    ("ntlm", True, "ntlm", False),  # NTLM over HTTPS: channel binding, plain bodies
])
def test_pywinrm_runs_commands(emu, transport, tls, auth, encrypted):
    m = marker()
    result = emu.pywinrm(transport, tls).run_cmd(f"echo {m} && whoami && echo oops {m}>&2 && exit /b 3")
    assert result.status_code == 3
    assert result.std_out == f"{m} \r\nwinemu-000\\pcmops\r\n".encode()
    assert result.std_err == f"oops {m} \r\n".encode()  # cmd.exe keeps the space before &&
    record = emu.record(m)
    assert (record["auth"], record["scheme"], record["encrypted"]) == (auth, "https" if tls else "http", encrypted)
    assert (record["user"], record["exit_code"], record["elevated"]) == ("pcmops", 3, True)


@pytest.mark.parametrize("auth,tls,user,mechanism", [
    ("ntlm", False, ADMIN, "ntlm"),
    ("negotiate", False, ADMIN, "negotiate"),  # SPNEGO-wrapped NTLM, sealed
    ("ntlm", True, ADMIN, "ntlm"),
    ("negotiate", True, DOMAIN, "negotiate"),
    ("basic", True, ADMIN, "basic"),
])
def test_pypsrp_runs_commands(emu, auth, tls, user, mechanism):
    m = marker()
    stdout, stderr, rc = emu.pypsrp(auth, tls, user).execute_cmd(f"echo {m} & whoami & nosuchcommand")
    whoami = "emulab\\pcmops-domain" if user is DOMAIN else "winemu-000\\pcmops"
    assert stdout == f"{m} \r\n{whoami}\r\n"
    assert stderr == ("'nosuchcommand' is not recognized as an internal or external command,\r\n"
                      "operable program or batch file.\r\n")
    assert rc == 9009
    record = emu.record(m)
    assert (record["auth"], record["encrypted"], record["user"]) == (mechanism, not tls and auth != "basic",
                                                                    "EMULAB\\pcmops-domain" if user is DOMAIN
                                                                    else "pcmops")


def test_pywinrm_run_ps_sends_encoded_command(emu):
    m = marker()
    result = emu.pywinrm().run_ps(f"Write-Output '{m} é'")
    record = [r for r in emu.records() if r["script"] == f"Write-Output '{m} é'"]
    assert len(record) == 1 and record[0]["program"] == "powershell"
    assert record[0]["command_line"].startswith("powershell -encodedcommand ")
    if emu.interpreter:
        assert (result.status_code, result.std_out) == (0, f"{m} é\r\n".encode("cp437"))
    else:
        assert result.status_code == 99 and b"interpreter" in result.std_err


def test_pypsrp_encoded_command_and_bootstrap_with_stdin(emu):
    m = marker()
    bootstrap = "\n".join(["$ErrorActionPreference = 'Stop'", "$utf8 = New-Object System.Text.UTF8Encoding $false",
                           "[Console]::InputEncoding = $utf8", "[Console]::OutputEncoding = $utf8",
                           "$pcmScript = [Console]::In.ReadToEnd()", "& ([ScriptBlock]::Create($pcmScript))"])
    script = f"# pcm-ops: parameters\n$ErrorActionPreference = 'Stop'\n$M = '{m}'\nWrite-Output \"$M 日本\"\n"
    wsman = emu.wsman("negotiate")
    with WinRS(wsman, codepage=65001, no_profile=True) as shell:
        process = Process(shell, "powershell.exe", ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
                                                    "-EncodedCommand", encoded(bootstrap)])
        process.begin_invoke()
        half = len(script.encode()) // 2
        process.send(script.encode()[:half], end=False)
        process.send(script.encode()[half:], end=True)
        process.end_invoke()
        process.signal(SignalCode.CTRL_C)
    record = [r for r in emu.records() if r["stdin"] == script]
    assert len(record) == 1
    assert record[0]["script"] == bootstrap and record[0]["stdin_end"] and record[0]["codepage"] == 65001
    if emu.interpreter:
        assert (process.rc, process.stdout.decode()) == (0, f"{m} 日本\r\n")
    else:
        assert process.rc == 99


# What Windows refuses.


def test_basic_over_http_is_refused(emu):
    before = len(emu.refusals())
    with pytest.raises(InvalidCredentialsError):
        emu.pywinrm("basic", tls=False).run_cmd("echo never")
    client = emu.raw(mechanism="basic")
    response = client.post(envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", "<rsp:Shell/>"))
    assert response.status == 401
    assert [v for k, v in response.headers if k == "WWW-Authenticate"] == ["Negotiate"]
    reasons = [r["reason"] for r in emu.refusals(before)]
    assert reasons and all("Basic authentication over HTTP" in r for r in reasons)


def test_basic_is_for_local_accounts_only(emu):
    shell_id, response = emu.raw(DOMAIN, tls=True, mechanism="basic").create_shell()
    assert response.status == 401 and shell_id is None
    shell_id, response = emu.raw(ADMIN, tls=True, mechanism="basic").create_shell()
    assert response.status == 200 and shell_id
    offered = [v for k, v in emu.raw(tls=True).post_raw(b"", {})[1] if k == "WWW-Authenticate"]
    assert offered == ["Negotiate", 'Basic realm="WSMAN"']


def test_unencrypted_ntlm_body_over_http_is_refused(emu):
    before = len(emu.refusals())
    with pytest.raises(InvalidCredentialsError):
        emu.pywinrm("ntlm", message_encryption="never").run_cmd("echo never")
    client = emu.raw()
    assert client.authenticate().status == 200
    response = client.post(envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", "<rsp:Shell/>"),
                           encrypt=False)
    assert response.status == 401
    reasons = [r["reason"] for r in emu.refusals(before)]
    assert any("unencrypted body over HTTP with NTLM" in r for r in reasons)
    # The emulator accepts the very same request sealed: the refusal is about the encryption only.
    client = emu.raw()
    client.authenticate()
    assert client.create_shell()[1].status == 200


@pytest.mark.parametrize("client", ["pywinrm-ntlm-http", "pywinrm-basic-https", "pypsrp-negotiate-https",
                                    "pypsrp-ntlm-http"])
def test_wrong_password_is_refused(emu, client):
    wrong = (ADMIN[0], "not-the-password")
    before = len(emu.refusals())
    with pytest.raises((InvalidCredentialsError, AuthenticationError, WinRMTransportError)) as error:
        if client == "pywinrm-ntlm-http":
            emu.pywinrm("ntlm", user=wrong).run_cmd("echo never")
        elif client == "pywinrm-basic-https":
            emu.pywinrm("ssl", tls=True, user=wrong).run_cmd("echo never")
        elif client == "pypsrp-negotiate-https":
            emu.pypsrp("negotiate", True, wrong).execute_cmd("echo never")
        else:
            emu.pypsrp("ntlm", False, wrong).execute_cmd("echo never")
    assert any(text in str(error.value) for text in ("credentials were rejected", "Failed to authenticate"))
    reasons = [r["reason"] for r in emu.refusals(before)]
    assert reasons and all("Invalid NTLM response" in r or "wrong user name or password" in r for r in reasons)
    assert not [r for r in emu.records() if r["command_line"] == "echo never"]


def test_channel_binding_is_required_and_checked(emu):
    """CbtHardeningLevel=Strict: NTLM over HTTPS must bind to this server's certificate."""
    assert emu.raw(tls=True).authenticate().status == 200  # the hand-made client is right when it should be
    assert emu.raw(tls=True, mechanism="negotiate").authenticate().status == 200
    before = len(emu.refusals())
    wrong = b"tls-server-end-point:" + bytes(32)
    assert emu.raw(tls=True, channel_binding=wrong).authenticate().status == 401
    assert emu.raw(tls=True, channel_binding=None).authenticate().status == 401
    assert emu.raw(tls=True, channel_binding=None, mechanism="negotiate").authenticate().status == 401
    original = spnego._ntlm.md5
    spnego._ntlm.md5 = lambda data: bytes(16)  # the all-zero binding of a client that does not support it
    try:
        assert emu.raw(tls=True).authenticate().status == 401
    finally:
        spnego._ntlm.md5 = original
    reasons = [r["reason"] for r in emu.refusals(before)]
    assert len(reasons) == 4
    assert "bindings do not match" in reasons[0]
    assert "without a channel binding" in reasons[1] and "without a channel binding" in reasons[2]
    assert "all-zero channel binding" in reasons[3]


def test_sealed_messages_are_checked(emu):
    client = emu.raw()
    client.authenticate()
    shell_id, _ = client.create_shell()
    content_type, body = encryption.wrap(client.context, envelope(
        "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete", "", shell_id=shell_id))
    assert client.post_raw(body, {"Content-Type": content_type})[0] == 200
    status, headers, _ = client.post_raw(body, {"Content-Type": content_type})  # replayed: old sequence number
    assert status == 400 and ("Connection", "close") in headers
    client = emu.raw()
    client.authenticate()
    content_type, body = encryption.wrap(client.context, envelope(
        "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", "<rsp:Shell/>"))
    tampered = bytearray(body)
    tampered[-40] ^= 1
    assert client.post_raw(bytes(tampered), {"Content-Type": content_type})[0] == 400


def test_ntlm_state_belongs_to_the_connection(emu):
    first = emu.raw()
    first.authenticate()
    shell_id, response = first.create_shell()  # no Authorization header: the connection is authenticated
    assert response.status == 200
    second = emu.raw()
    status, _, _ = second.post_raw(b"<x/>", {"Content-Type": "application/soap+xml;charset=UTF-8"})
    assert status == 401
    assert first.delete_shell(shell_id).status == 200


# WinRS semantics.


def test_unknown_shell_id_faults_as_windows(emu):
    protocol = emu.protocol()
    bogus = str(uuid.uuid4()).upper()
    with pytest.raises(WSManFaultError) as error:
        protocol.run_command(bogus, "echo", ["hi"])
    assert error.value.wsman_fault_code == INVALID_SELECTORS
    assert error.value.fault_subcode == "w:InvalidSelectors"
    client = emu.raw()
    client.authenticate()
    response = client.delete_shell(bogus)
    assert response.status == 500 and response.fault_code == INVALID_SELECTORS
    assert response.fault_message == (
        f"The request for the Windows Remote Shell with ShellId {bogus} failed because the shell was not found on "
        "the server. Possible causes are: the specified ShellId is incorrect or the shell no longer exists on the "
        "server. Provide the correct ShellId or create a new shell and retry the operation. ")


def test_a_shell_belongs_to_its_user(emu):
    owner = emu.raw()
    owner.authenticate()
    shell_id, _ = owner.create_shell()
    other = emu.raw(LIMITED)
    other.authenticate()
    assert other.command(shell_id, "echo", ["x"])[1].fault_code == INVALID_SELECTORS
    assert owner.delete_shell(shell_id).status == 200


def test_operation_timeout_fault_then_later_output(emu):
    m = marker()
    wsman = emu.wsman("ntlm", operation_timeout=1)
    with WinRS(wsman) as shell:
        process = Process(shell, f"ping -n 4 127.0.0.1 >nul & echo {m}")
        process.begin_invoke()
        with pytest.raises(PsrpFault) as error:
            shell.receive("stdout stderr", process.id, timeout=1)
        assert error.value.code == TIMED_OUT
        process.end_invoke()  # pypsrp polls through the TimedOut faults
        process.signal(SignalCode.CTRL_C)
    assert (process.rc, process.stdout) == (0, f"{m}\r\n".encode())
    # pywinrm's view of the same fault, then the output once it comes.
    protocol = emu.protocol(operation_timeout_sec=1, read_timeout_sec=10)
    shell_id = protocol.open_shell()
    command_id = protocol.run_command(shell_id, f"ping -n 3 127.0.0.1 >nul & echo {m}-2")
    with pytest.raises(WinRMOperationTimeoutError):
        protocol.get_command_output_raw(shell_id, command_id)
    assert protocol.get_command_output(shell_id, command_id) == (f"{m}-2\r\n".encode(), b"", 0)
    protocol.close_shell(shell_id)


def test_output_larger_than_max_envelope_is_split(emu):
    environment = {f"BIG{i:02d}": chr(65 + i % 26) * 7000 for i in range(40)}  # cmd's `set BIG` prints 280 kB
    expected = "".join(f"{k}={v}\r\n" for k, v in sorted(environment.items()))
    with WinRS(emu.wsman("negotiate", max_envelope_size=16384), environment=environment) as shell:
        process = Process(shell, "set BIG")
        process.invoke()
        process.signal(SignalCode.CTRL_C)
    assert process.stdout.decode() == expected
    client = emu.raw(tls=True, mechanism="basic")
    shell_id, _ = client.create_shell(environment=environment)
    command_id, _ = client.command(shell_id, "set BIG")
    sizes, stdout = [], b""
    while True:
        response = client.receive(shell_id, command_id, max_envelope=16384)
        assert response.status == 200, response.body
        sizes.append(len(response.body))
        stdout += b"".join(base64.b64decode(s.text or "") for s in response.findall(".//rsp:Stream"))
        if response.find(".//rsp:CommandState").get("State").endswith("/Done"):
            break
    assert stdout.decode() == expected
    assert len(sizes) >= len(expected) // 16384 and max(sizes) <= 16384
    assert client.receive(shell_id, command_id, max_envelope=4096).fault_code == 2150858878  # below 8192
    client.delete_shell(shell_id)


def test_signal_terminate_stops_a_running_command(emu):
    m = marker()
    with WinRS(emu.wsman("ntlm")) as shell:
        process = Process(shell, f"ping -n 120 127.0.0.1 & echo {m}")
        process.begin_invoke()
        process.poll_invoke()
        assert b"Pinging 127.0.0.1" in process.stdout
        started = time.monotonic()
        process.signal(SignalCode.TERMINATE)
        with pytest.raises(PsrpFault) as error:  # the command is gone
            shell.receive("stdout stderr", process.id, timeout=5)
        assert error.value.code == INVALID_SELECTORS
    record = emu.record(m)
    assert record["signal"] == "terminate" and record["duration"] < 60
    assert time.monotonic() - started < 30
    assert m not in record["stdout"]


def test_signal_from_another_connection_ends_a_waiting_receive(emu):
    receiver, signaller = emu.raw(tls=True, mechanism="basic"), emu.raw(tls=True, mechanism="basic")
    shell_id, _ = receiver.create_shell()
    command_id, _ = receiver.command(shell_id, "ping -n 120 127.0.0.1 >nul")
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(receiver.receive, shell_id, command_id, timeout_s=60)
        time.sleep(0.5)
        started = time.monotonic()
        assert signaller.signal(shell_id, command_id, "terminate").status == 200
        response = waiting.result(timeout=45)
    assert time.monotonic() - started < 30  # not the 60 s OperationTimeout
    assert response.find(".//rsp:CommandState").get("State").endswith("/Done")
    assert receiver.delete_shell(shell_id).status == 200


def test_unicode_round_trips_with_codepage_65001(emu):
    text = "日本語 中文 한국어 😀🎉"
    protocol = emu.protocol()
    shell_id = protocol.open_shell(codepage=65001)
    command_id = protocol.run_command(shell_id, f"echo {text}")
    assert protocol.get_command_output(shell_id, command_id) == (f"{text}\r\n".encode(), b"", 0)
    protocol.cleanup_command(shell_id, command_id)
    command_id = protocol.run_command(shell_id, "more")
    protocol.send_command_input(shell_id, command_id, f"{text}\nzwei\n".encode(), end=True)
    assert protocol.get_command_output(shell_id, command_id) == (f"{text}\r\nzwei\r\n".encode(), b"", 0)
    protocol.close_shell(shell_id)
    # Codepage 437, the default of an en-US host, has no CJK: cmd.exe writes question marks.
    shell_id = protocol.open_shell(codepage=437)
    command_id = protocol.run_command(shell_id, "echo 日本")
    assert protocol.get_command_output(shell_id, command_id)[0] == b"??\r\n"
    protocol.close_shell(shell_id)


def test_many_commands_to_one_host_at_once(emu):
    m = marker()

    def run(i):
        session = emu.pywinrm("ntlm") if i % 2 else emu.pywinrm("ntlm", tls=True)
        return session.run_cmd(f"ping -n 2 127.0.0.1 >nul & echo {m}-{i}")

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(run, range(8)))
    assert [(r.status_code, r.std_out) for r in results] == [(0, f"{m}-{i}\r\n".encode()) for i in range(8)]


def test_many_hosts_at_once(emu):
    m = marker()

    def run(host):
        return emu.pypsrp("negotiate", host=host).execute_cmd(f"hostname & echo {m}")

    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        results = list(pool.map(run, range(3)))
    assert results == [(f"WINEMU-00{h}\r\n{m}\r\n", "", 0) for h in range(3)]
    assert sorted(r["host_index"] for r in emu.records() if m in r["command_line"]) == [0, 1, 2]


def test_input_over_the_envelope_limit_is_refused_with_413(emu):
    protocol = emu.protocol()
    shell_id = protocol.open_shell()
    command_id = protocol.run_command(shell_id, "more")
    with pytest.raises(WinRMTransportError) as error:
        protocol.send_command_input(shell_id, command_id, b"x" * 600000, end=True)
    assert error.value.code == 413
    assert any("exceeds MaxEnvelopeSizekb" in r["reason"] for r in emu.refusals())


def test_faults_and_addressing(emu):
    client = emu.raw(tls=True, mechanism="basic")
    shell_id, response = client.create_shell()
    sent = envelope("http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command",
                    "<rsp:CommandLine><rsp:Command>echo</rsp:Command></rsp:CommandLine>", shell_id=shell_id,
                    message_id="uuid:11111111-2222-3333-4444-555555555555")
    response = client.post(sent)
    assert response.text(".//a:RelatesTo") == "uuid:11111111-2222-3333-4444-555555555555"
    assert response.text(".//a:Action") == f"{SHELL_NS}/CommandResponse"
    response = client.post(envelope("http://schemas.example.com/Frobnicate", "", shell_id=shell_id))
    assert response.status == 500 and response.fault_code == 2150858771
    assert response.text(".//s:Subcode/s:Value") == "a:ActionNotSupported"
    response = client.post(envelope(f"{SHELL_NS}/Receive", "", shell_id=shell_id, message_id=None))
    assert response.status == 500 and response.fault_code == 2150858769 and response.find(".//a:RelatesTo") is None
    response = client.post(envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", "<rsp:Shell/>",
                                    resource_uri="http://schemas.microsoft.com/powershell/Microsoft.PowerShell"))
    assert response.status == 500 and response.fault_code == 2150858752
    response = client.post(b"<not xml")
    assert response.status == 500 and response.fault_code == 2150858819
    assert client.post(envelope("x", ""), content_type="text/plain").status == 415
    command_id, _ = client.command(shell_id, "echo", ["done"])
    while not client.receive(shell_id, command_id).find(".//rsp:CommandState").get("State").endswith("/Done"):
        pass
    assert client.receive(shell_id, command_id).fault_code == INVALID_SELECTORS
    assert client.signal(shell_id, command_id, "ctrl_c").status == 200
    assert client.delete_shell(shell_id).status == 200


def test_skip_cmd_shell_needs_a_full_path(emu):
    with WinRS(emu.wsman("ntlm")) as shell:
        with pytest.raises(PsrpFault) as error:
            Process(shell, "cmd.exe", ["/c", "echo", "x"], no_shell=True).invoke()
        assert error.value.code == 2147942402
        process = Process(shell, "C:\\Windows\\System32\\cmd.exe", ["/c", "echo", "direct"], no_shell=True)
        process.invoke()
        process.signal(SignalCode.CTRL_C)
    assert (process.rc, process.stdout) == (0, b"direct\r\n")


def test_cmd_subset_fails_loudly_outside_itself(emu):
    session = emu.pywinrm("ntlm")
    result = session.run_cmd("echo a | more")
    assert result.status_code == 99 and b"unsupported cmd.exe construct: a pipe" in result.std_err
    result = session.run_cmd("echo a > C:\\out.txt")
    assert result.status_code == 99 and b"redirection to a file" in result.std_err
    result = session.run_cmd("powershell -File C:\\x.ps1")
    assert result.status_code == 99 and b"-File" in result.std_err
    result = session.run_cmd("echo %COMPUTERNAME% %UNDEFINED% ^& done || echo skipped")
    assert (result.status_code, result.std_out) == (0, b"WINEMU-000 %UNDEFINED% & done \r\n")
    result = session.run_cmd("echo text1>&2")  # 1>&2 is a redirection, as in cmd.exe
    assert (result.std_out, result.std_err) == (b"", b"text\r\n")
    result = session.run_cmd("exit /b 7 || echo after")
    assert (result.status_code, result.std_out) == (7, b"")
    result = session.run_cmd("cmd /c \"exit 4\" || echo failed-over")
    assert (result.status_code, result.std_out) == (0, b"failed-over\r\n")


@pytest.mark.parametrize("line,stdout,stderr,code", [
    ("echo a&echo b", "a\r\nb\r\n", "", 0),
    ('echo "a & b" & echo c', '"a & b" \r\nc\r\n', "", 0),
    ("@echo hi", "hi\r\n", "", 0),
    ("echo.", "\r\n", "", 0),
    ("echo", "ECHO is on.\r\n", "", 0),
    ("ECHO Up", "Up\r\n", "", 0),
    ("echo a >nul & echo b 2>nul", "b \r\n", "", 0),
    ("echo err 1>&2", "", "err \r\n", 0),
    ("echo ^| ^> ^& 100%", "| > & 100%\r\n", "", 0),
    ('cmd /c "exit 4"', "", "", 4),
    ('cmd /c "echo q"', "q\r\n", "", 0),
    ('cmd /s /c "echo "q""', '"q"\r\n', "", 0),
    ("set USERNAME", "USERNAME=pcmops\r\n", "", 0),
    ("set NOPE_NOT_SET", "", "Environment variable NOPE_NOT_SET not defined\r\n", 1),
    ("ver", "\r\nMicrosoft Windows [Version 10.0.20348.2340]\r\n", "", 0),
    ("nosuch & echo after", "after\r\n", "'nosuch' is not recognized as an internal or external command,\r\n"
     "operable program or batch file.\r\n", 0),
    ("nosuch && echo never", "", "'nosuch' is not recognized as an internal or external command,\r\n"
     "operable program or batch file.\r\n", 9009),
    ("ping -n 2 localhost", "\r\nPinging WINEMU-000 [::1] with 32 bytes of data:\r\nReply from ::1: time<1ms\r\n"
     "Reply from ::1: time<1ms\r\n\r\nPing statistics for ::1:\r\n    Packets: Sent = 2, Received = 2, Lost = 0 "
     "(0% loss),\r\nApproximate round trip times in milli-seconds:\r\n    Minimum = 0ms, Maximum = 0ms, Average = 0ms"
     "\r\n", "", 0),
    ("ping -n 1 192.0.2.1", "", "emulator: unsupported cmd.exe construct: ping 192.0.2.1 (only the loopback address "
     "is emulated)\r\n", 99),
    ("echo x & cmd /k", "x \r\n", "emulator: unsupported cmd.exe construct: cmd /k (an interactive shell)\r\n", 99),
])
def test_cmd_lines(emu, line, stdout, stderr, code):
    result = emu.pywinrm("ssl", tls=True).run_cmd(line)
    assert (result.std_out.decode(), result.std_err.decode(), result.status_code) == (stdout, stderr, code)


def test_http_details(emu):
    client = emu.raw(tls=True, mechanism="basic")
    shell_id, _ = client.create_shell()
    soap = envelope(f"{SHELL_NS}/Command", "<rsp:CommandLine><rsp:Command>echo chunked</rsp:Command>"
                    "</rsp:CommandLine>", shell_id=shell_id)
    credentials = base64.b64encode(f"{ADMIN[0]}:{ADMIN[1]}".encode()).decode()
    client.conn.putrequest("POST", "/wsman")
    for name, value in (("Authorization", "Basic " + credentials), ("Transfer-Encoding", "chunked"),
                        ("Content-Type", "application/soap+xml;charset=UTF-8"), ("Expect", "100-continue")):
        client.conn.putheader(name, value)
    client.conn.endheaders()
    for i in range(0, len(soap), 100):
        piece = soap[i:i + 100]
        client.conn.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
    client.conn.send(b"0\r\n\r\n")
    response = client.conn.getresponse()
    assert response.status == 200 and b"CommandId" in response.read()
    status, headers, _ = client.post_raw(b"", {"Authorization": "NTLM " + base64.b64encode(b"NTLMSSP\x00").decode()})
    assert status == 401  # Windows offers no "NTLM" scheme, only Negotiate
    client.conn.request("GET", "/wsman", headers={"Authorization": "Basic " + credentials})
    response = client.conn.getresponse()
    assert (response.status, response.read(), response.getheader("Allow")) == (405, b"", "POST")
    client.conn.request("POST", "/other", body=b"", headers={"Authorization": "Basic " + credentials})
    response = client.conn.getresponse()
    assert (response.status, response.read()) == (404, b"")
    command_id, _ = client.command(shell_id, "more")
    assert client.send(shell_id, command_id, b"a", end=True).status == 200
    response = client.send(shell_id, command_id, b"b", end=True)
    assert response.status == 500 and response.fault_code == 232  # stdin already ended
    client.delete_shell(shell_id)


def test_idle_shells_are_deleted(emu):
    client = emu.raw(tls=True, mechanism="basic")
    body = ("<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr"
            "</rsp:OutputStreams><rsp:IdleTimeOut>PT1S</rsp:IdleTimeOut></rsp:Shell>")
    response = client.post(envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", body))
    shell_id = response.text(".//rsp:ShellId")
    assert response.text(".//rsp:IdleTimeOut") == "PT1.000S"
    deadline = time.monotonic() + 60
    while shell_id in [s["id"] for s in emu.control("/hosts/0/shells")]:
        assert time.monotonic() < deadline, "the idle shell was never deleted"
        time.sleep(0.5)
    assert client.command(shell_id, "echo", ["late"])[1].fault_code == INVALID_SELECTORS


def test_clixml_is_what_pywinrm_decodes(emu):
    from winrm_emulator.clixml import ClixmlWriter, escape_string
    written = []
    writer = ClixmlWriter(written.append)
    writer.progress("Preparing modules for first use.")
    writer.error("boom: <b> & 'it'\nsecond line")
    writer.progress("again")
    writer.close()
    document = "".join(written)
    assert document.startswith('#< CLIXML\r\n<Objs Version="1.1.0.1" '
                               'xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj S="progress" RefId="0">')
    assert '<Obj S="progress" RefId="1"><TNRef RefId="0" />' in document and document.endswith("</Objs>")
    session = emu.pywinrm()
    assert session._clean_error_msg(document.encode()) == "boom: <b> & 'it'\nsecond line".encode()
    # The PowerShell serializer's escapes: control characters and UTF-16 surrogates as _xHHHH_, and an underscore
    # that would read as an escape as _x005F_.
    assert escape_string("a\tb_x000A_c😀") == "a_x0009_b_x005F_x000A_c_xD83D__xDE00_"


def test_windows_argv_rules():
    from winrm_emulator import powershell, winargs
    assert winargs.split(r'a "b c" d\"e "f\\" g""h  "" i') == ["a", "b c", 'd"e', "f\\", "gh", "", "i"]
    assert powershell.parse_arguments("-NoP -NonI -ep bypass -enc QQA=") == ("encoded", "QQA=")
    assert powershell.parse_arguments("-NoProfile -Command Write-Host hi") == ("command", "Write-Host hi")
    assert powershell.parse_arguments("Write-Host hi") == ("command", "Write-Host hi")
    assert powershell.parse_arguments("-NoProfile -Command -") == ("stdin", None)
    assert powershell.parse_arguments("-NonInteractive") == ("stdin", None)
    assert powershell.decode_encoded_command(encoded("Write-Output 'é😀'")) == "Write-Output 'é😀'"
    assert powershell.decode_encoded_command("not base64!") is None
    assert powershell.reads_stdin("$s = [Console]::In.ReadToEnd()") and powershell.reads_stdin("$input | % { $_ }")
    assert not powershell.reads_stdin("Write-Output 'In'")


def test_shell_quota_per_user(emu):
    client = emu.raw(LIMITED, host=2)
    client.authenticate()
    shells = [client.create_shell()[0] for _ in range(30)]
    assert all(shells)
    shell_id, response = client.create_shell()
    assert shell_id is None and response.fault_code == 2150859173
    assert "maximum number of 30 concurrent shells" in response.fault_message
    other = emu.raw(ADMIN, host=2)
    other.authenticate()
    assert other.create_shell()[0]  # the quota is per user
    assert len(emu.control("/hosts/2/shells")) == 31
    for shell_id in shells:
        assert client.delete_shell(shell_id).status == 200
    assert [s["owner"] for s in emu.control("/hosts/WINEMU-002/shells")] == ["pcmops"]


def test_control_endpoint_and_record_log(emu):
    assert [h["name"] for h in emu.control("/hosts")] == ["WINEMU-000", "WINEMU-001", "WINEMU-002"]
    assert [h["http_port"] for h in emu.control("/hosts")] == [emu.http, emu.http + 1, emu.http + 2]
    m = marker()
    client = emu.raw(LIMITED, host=1)
    client.authenticate()
    shell_id, _ = client.create_shell(codepage=65001, environment={"PCM_MARK": m})
    shells = emu.control("/hosts/1/shells")
    assert [(s["id"], s["owner"], s["auth"], s["encrypted"]) for s in shells] == [
        (shell_id, "pcmops-limited", "ntlm", True)]
    stdout, stderr, code, _ = client.run(shell_id, "more", ["&", "echo", "%PCM_MARK%"], stdin="zeile ä\n".encode())
    assert (stdout, code) == (f"zeile ä\r\n{m}\r\n".encode(), 0)
    record = emu.record("more & echo %PCM_MARK%")
    assert {k: record[k] for k in ("host", "host_index", "port", "scheme", "auth", "encrypted", "user", "elevated",
                                   "shell_id", "command", "arguments", "stdin", "stdin_end", "exit_code", "signal",
                                   "stdout", "codepage", "environment")} == {
        "host": "WINEMU-001", "host_index": 1, "port": emu.http + 1, "scheme": "http", "auth": "ntlm",
        "encrypted": True, "user": "pcmops-limited", "elevated": False, "shell_id": shell_id, "command": "more",
        "arguments": ["&", "echo", "%PCM_MARK%"], "stdin": "zeile ä\n", "stdin_end": True, "exit_code": 0,
        "signal": None, "stdout": f"zeile ä\r\n{m}\r\n", "codepage": 65001, "environment": {"PCM_MARK": m}}
    assert record["time"] <= record["finished"] and record["command_id"]
    assert [r["command_line"] for r in emu.control("/records?host=WINEMU-001")][-1] == "more & echo %PCM_MARK%"
    assert client.delete_shell(shell_id).status == 200
    assert emu.control("/hosts/1/shells") == []
    if emu.interpreter:
        state = emu.control("/hosts/1/state")
        assert state["computer_name"] == "WINEMU-001"
        written = emu.control("/dump", method="POST", body={})["written"]
        assert os.path.join(emu.state_dir, "state", "WINEMU-001.json") in written


needs_interpreter = pytest.mark.skipif(
    not os.path.isdir(os.path.join(TESTS, "winrm_emulator", "pwsh")),
    reason="the PowerShell interpreter (Tests/winrm_emulator/pwsh) is not in this tree")


@needs_interpreter
def test_powershell_error_and_progress_records_are_clixml_on_stderr(emu):
    protocol = emu.protocol()
    shell_id = protocol.open_shell(codepage=65001)
    command_id = protocol.run_command(shell_id, "powershell", ["-NoProfile", "-EncodedCommand", encoded(
        "Write-Progress -Activity 'Working' -Status 'half'; Write-Output 'a'; Write-Error 'bad <thing>'; "
        "Write-Output 'b'; exit 3")])
    stdout, stderr, code = protocol.get_command_output(shell_id, command_id)
    protocol.close_shell(shell_id)
    assert (stdout, code) == (b"a\r\nb\r\n", 3)
    text = stderr.decode()
    assert text.startswith('#< CLIXML\r\n<Objs Version="1.1.0.1" '
                           'xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj S="progress" RefId="0">')
    assert '<S S="Error">bad &lt;thing&gt;_x000D__x000A_</S>' in text and text.endswith("</Objs>")
    result = emu.pywinrm().run_ps("Write-Error 'bad thing'; exit 2")  # pywinrm decodes it
    assert (result.status_code, result.std_err) == (2, b"bad thing")


@needs_interpreter
def test_powershell_output_is_live_and_terminate_stops_start_sleep(emu):
    m = marker()
    script = encoded(f"Write-Output {m}; Start-Sleep -Seconds 300; Write-Output never")
    with WinRS(emu.wsman("ntlm"), codepage=65001) as shell:
        process = Process(shell, f"powershell -EncodedCommand {script}")
        process.begin_invoke()
        while m.encode() not in process.stdout:  # arrives while the script still runs
            process.poll_invoke()
        assert process.state == CommandState.RUNNING and process.rc is None
        started = time.monotonic()
        process.signal(SignalCode.TERMINATE)
    record = emu.record(script)
    assert record["signal"] == "terminate" and record["exit_code"] == 130 and "never" not in record["stdout"]
    assert time.monotonic() - started < 30


@needs_interpreter
@pytest.mark.parametrize("auth,tls", [("negotiate", False), ("ntlm", True), ("basic", True)])
def test_pypsrp_execute_cmd_runs_powershell(emu, auth, tls):
    m = marker()
    script = encoded(f'$n = 40 + 2; Write-Output "{m}$n"')
    stdout, stderr, rc = emu.pypsrp(auth, tls).execute_cmd(
        f"powershell.exe -NoProfile -NonInteractive -EncodedCommand {script}")
    assert (stdout, stderr, rc) == (f"{m}42\r\n", "", 0)


@needs_interpreter
def test_seeded_host_state_is_changed_by_scripts_and_written_at_exit(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"default": {"real_sleep": 0.0}, "hosts": {"1": {"services": [{
        "name": "PcmTest", "display_name": "PCM test service", "status": "Running", "start_type": "Automatic",
        "binary_path": "C:\\pcm\\test.exe", "process_name": "test"}]}}}))
    emulator = start_emulator(tmp_path, "--hosts", "2", "--seed", str(seed))
    try:
        assert [s["name"] for s in emulator.control("/hosts/1/state")["services"]] == ["PcmTest"]
        assert "PcmTest" not in [s["name"] for s in emulator.control("/hosts/0/state")["services"]]
        assert emulator.control("/hosts/1/state")["computer_name"] == "WINEMU-001"
        result = emulator.pywinrm(host=1).run_ps("Stop-Service -Name PcmTest; (Get-Service PcmTest).Status")
        assert (result.status_code, result.std_out) == (0, b"Stopped\r\n")
        state = emulator.control("/hosts/WINEMU-001/state")
        state["services"][0]["status"] = "Paused"
        emulator.control("/hosts/1/state", method="PUT", body=state)
        assert emulator.pywinrm(host=1).run_ps("(Get-Service PcmTest).Status").std_out == b"Paused\r\n"
    finally:
        stop_emulator(emulator)
    written = json.load(open(os.path.join(emulator.state_dir, "state", "WINEMU-001.json")))
    assert written["services"][0]["status"] == "Paused"


@needs_interpreter
def test_elevation_follows_the_account(emu):
    check = ("if (([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent())"
             ".IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) { 'elevated' } else "
             "{ 'not-elevated' }")
    admin = emu.pywinrm("ntlm").run_ps(check)
    limited = emu.pywinrm("ntlm", user=LIMITED).run_ps(check)
    assert (admin.status_code, admin.std_out) == (0, b"elevated\r\n")
    assert (limited.status_code, limited.std_out) == (0, b"not-elevated\r\n")
