"""WinRS, the Windows Remote Shell (MS-WSMV §3.1.4.1.x): Create, Command, Send, Receive, Signal, Delete on the
`…/windows/shell/cmd` resource, with the shells and commands of one emulated host.
"""
import base64
import binascii
import codecs
import threading
import time
import uuid
from xml.sax.saxutils import escape, quoteattr

from . import cmdexe, faults, powershell, soap
from .commands import Budget, Command
from .soap import NS, q

SHELL_URI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd"
SHELL_NS = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
TRANSFER = "http://schemas.xmlsoap.org/ws/2004/09/transfer"
ACTIONS = {f"{TRANSFER}/Create": "create", f"{TRANSFER}/Delete": "delete", f"{SHELL_NS}/Command": "command",
           f"{SHELL_NS}/Send": "send", f"{SHELL_NS}/Receive": "receive", f"{SHELL_NS}/Signal": "signal"}
STATE_RUNNING = f"{SHELL_NS}/CommandState/Running"
STATE_DONE = f"{SHELL_NS}/CommandState/Done"
# Matched without case: pypsrp sends …/signal/Terminate, pywinrm …/signal/terminate, and Windows takes both.
SIGNALS = {f"{SHELL_NS}/signal/terminate".lower(): "terminate", f"{SHELL_NS}/signal/ctrl_c".lower(): "ctrl_c",
           f"{SHELL_NS}/signal/ctrl_break".lower(): "ctrl_break"}
DEFAULT_CODEPAGE = 437
DEFAULT_IDLE_TIMEOUT = 7200.0


class Settings:
    def __init__(self, max_envelope=512000, max_timeout=60.0, max_shells_per_user=30):
        self.max_envelope = max_envelope  # MaxEnvelopeSizekb × 1024
        self.max_timeout = max_timeout  # MaxTimeoutms / 1000
        self.max_shells_per_user = max_shells_per_user


class Host:
    """One emulated Windows host: its computer name, fake state, listeners and open shells."""

    def __init__(self, index, computer_name, state, settings, records):
        self.index = index
        self.computer_name = computer_name
        self.state = state
        self.settings = settings
        self.records = records
        self.http_port = None
        self.https_port = None
        self.shells = {}
        self.lock = threading.Lock()

    def session_state(self, user, pwsh):
        """The HostState a script of `user` sees (session_view)."""
        if self.state is None:
            self.state = pwsh.HostState.default(self.computer_name)
        return session_view(self.state, user.name, user.elevated)

    def shell(self, shell_id, user):
        with self.lock:
            shell = self.shells.get((shell_id or "").upper())
        if shell is None or shell.user is not user:
            raise faults.shell_not_found(shell_id)
        shell.touch()
        return shell

    def reap_idle(self):
        now = time.monotonic()
        with self.lock:
            idle = [s for s in self.shells.values() if now - s.last_activity > s.idle_timeout]
            for shell in idle:
                del self.shells[shell.id]
        for shell in idle:
            shell.close("idle")

    def describe_shells(self):
        with self.lock:
            shells = list(self.shells.values())
        return [s.describe() for s in shells]


SESSION_ATTRIBUTES = ("user", "elevated", "cancel")
_view_classes = {}


def session_view(state, user_name, elevated):
    """The host as one session sees it: the same HostState (services, files, processes, fake clock: every read and
    write goes to it) except the session's own `user`, `elevated` and `cancel`, so that concurrent sessions of an
    elevated and a non-elevated account see the same host each with its own identity."""
    cls = _view_classes.get(type(state))
    if cls is None:
        cls = _view_classes[type(state)] = type(f"{type(state).__name__}Session", (type(state), _SessionView), {})
    view = object.__new__(cls)
    object.__setattr__(view, "_host_state", state)
    object.__setattr__(view, "user", user_name)
    object.__setattr__(view, "elevated", elevated)
    object.__setattr__(view, "cancel", None)
    return view


class _SessionView:
    def __getattr__(self, name):  # only for what the view does not hold itself
        return getattr(object.__getattribute__(self, "_host_state"), name)

    def __setattr__(self, name, value):
        if name in SESSION_ATTRIBUTES:
            object.__setattr__(self, name, value)
        else:
            setattr(object.__getattribute__(self, "_host_state"), name, value)


class Shell:
    def __init__(self, host, shell_id, user, transport, options):
        self.host = host
        self.id = shell_id
        self.user = user
        self.transport = transport  # {"client_ip", "port", "scheme", "auth", "encrypted"}
        self.codepage = options["codepage"]
        self.codec = options["codec"]
        self.no_profile = options["no_profile"]
        self.environment = options["environment"]
        self.working_directory = options["working_directory"]
        self.idle_timeout = options["idle_timeout"]
        self.input_streams = options["input_streams"]
        self.output_streams = options["output_streams"]
        self.consolemode_stdin = options["consolemode_stdin"]
        self.created = time.monotonic()
        self.last_activity = self.created
        self.commands = {}
        self.lock = threading.Lock()

    def touch(self):
        self.last_activity = time.monotonic()

    def command(self, command_id):
        with self.lock:
            command = self.commands.get((command_id or "").upper())
        if command is None:
            raise faults.command_not_found()
        return command

    def close(self, reason):
        with self.lock:
            commands = list(self.commands.values())
            self.commands.clear()
        for command in commands:
            command.stop(reason)

    def process_environment(self):
        user, host = self.user, self.host
        profile = self.working_directory or f"C:\\Users\\{user.name}"
        env = {"ALLUSERSPROFILE": "C:\\ProgramData", "APPDATA": f"C:\\Users\\{user.name}\\AppData\\Roaming",
               "COMPUTERNAME": host.computer_name, "ComSpec": "C:\\Windows\\system32\\cmd.exe",
               "LOCALAPPDATA": f"C:\\Users\\{user.name}\\AppData\\Local", "NUMBER_OF_PROCESSORS": "2",
               "OS": "Windows_NT",
               "Path": "C:\\Windows\\system32;C:\\Windows;C:\\Windows\\System32\\Wbem;"
                       "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\",
               "PATHEXT": ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC",
               "PROCESSOR_ARCHITECTURE": "AMD64", "ProgramData": "C:\\ProgramData",
               "ProgramFiles": "C:\\Program Files", "PROMPT": "$P$G", "PUBLIC": "C:\\Users\\Public",
               "SystemDrive": "C:", "SystemRoot": "C:\\Windows",
               "TEMP": f"C:\\Users\\{user.name}\\AppData\\Local\\Temp",
               "TMP": f"C:\\Users\\{user.name}\\AppData\\Local\\Temp", "USERDOMAIN": user.domain or host.computer_name,
               "USERNAME": user.name, "USERPROFILE": "C:\\Users\\Default" if self.no_profile else profile,
               "windir": "C:\\Windows"}
        env.update(self.environment)
        return env

    def describe(self):
        with self.lock:
            commands = [{"id": c.id, "state": c.state_name()} for c in self.commands.values()]
        return {"id": self.id, "owner": self.user.principal, "codepage": self.codepage, "no_profile": self.no_profile,
                "idle_seconds": round(time.monotonic() - self.last_activity, 3), "commands": commands,
                **self.transport}


# Request handling.


def handle(host, identity, request, transport):
    """The SOAP response body (str) for a WS-Management request; raises soap.Fault."""
    if not request.message_id:
        raise faults.header_required("MessageID")
    operation = ACTIONS.get(request.action or "")
    if request.action is None:
        raise faults.header_required("Action")
    max_envelope = host.settings.max_envelope
    if request.max_envelope_text is not None:
        if not request.max_envelope_text.isdigit():
            raise faults.invalid_body("MaxEnvelopeSize is not a number")
        max_envelope = min(int(request.max_envelope_text), host.settings.max_envelope)
        if max_envelope < soap.MIN_ENVELOPE:
            raise faults.envelope_too_small()
    timeout = host.settings.max_timeout
    if request.operation_timeout_text is not None:
        seconds = soap.duration_seconds(request.operation_timeout_text)
        if seconds is None or seconds <= 0:
            raise faults.invalid_timeout()
        timeout = min(seconds, host.settings.max_timeout)
    if operation is None:
        raise faults.action_not_supported(request.action)
    if request.resource_uri != SHELL_URI:
        raise faults.resource_not_found(request.resource_uri or "(none)")
    user = identity.user
    if operation == "create":
        return _create(host, user, request, transport)
    shell_id = request.selectors.get("ShellId")
    if not shell_id:
        raise faults.shell_id_required()
    shell = host.shell(shell_id, user)
    if operation == "delete":
        with host.lock:
            host.shells.pop(shell.id, None)
        shell.close("delete")
        return _envelope(request, "http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse", "",
                         ("s", "a", "w", "p"))
    if operation == "command":
        return _command(shell, request)
    if operation == "send":
        return _send(shell, request)
    if operation == "receive":
        return _receive(shell, request, timeout, max_envelope)
    return _signal(shell, request)


def _envelope(request, action, body, namespaces=("s", "a", "x", "w", "rsp", "p")):
    return soap.envelope(action, request.message_id, body, namespaces)


def _boolean(value, name):
    if value is None:
        return None
    if value.upper() in ("TRUE", "1"):
        return True
    if value.upper() in ("FALSE", "0"):
        return False
    raise faults.invalid_option(name, value)


def _codec(codepage_text):
    if codepage_text is None:
        return DEFAULT_CODEPAGE, "cp437"
    if not codepage_text.isdigit():
        raise faults.invalid_option("WINRS_CODEPAGE", codepage_text)
    codepage = int(codepage_text)
    name = {65001: "utf-8", 1200: None, 1201: None, 12000: None}.get(codepage, f"cp{codepage}")
    try:
        codecs.lookup(name or "")
    except LookupError:
        raise faults.invalid_option("WINRS_CODEPAGE", codepage_text) from None
    return codepage, name


def _create(host, user, request, transport):
    body = request.body.find(q("rsp", "Shell"))
    if body is None:
        raise faults.invalid_body("Create has no rsp:Shell")
    codepage, codec = _codec(request.option("WINRS_CODEPAGE"))
    no_profile = _boolean(request.option("WINRS_NOPROFILE"), "WINRS_NOPROFILE") or False
    consolemode = _boolean(request.option("WINRS_CONSOLEMODE_STDIN"), "WINRS_CONSOLEMODE_STDIN")
    environment = {}
    env_element = body.find(q("rsp", "Environment"))
    if env_element is not None:
        for variable in env_element.findall(q("rsp", "Variable")):
            environment[variable.get("Name") or ""] = variable.text or ""
    idle_timeout = DEFAULT_IDLE_TIMEOUT
    idle_text = _child_text(body, "IdleTimeOut")
    if idle_text is not None:
        idle_timeout = soap.duration_seconds(idle_text)
        if idle_timeout is None or idle_timeout <= 0:
            raise faults.invalid_option("IdleTimeOut", idle_text)
    options = {"codepage": codepage, "codec": codec, "no_profile": no_profile, "environment": environment,
               "working_directory": _child_text(body, "WorkingDirectory"), "idle_timeout": idle_timeout,
               "input_streams": _child_text(body, "InputStreams") or "stdin",
               "output_streams": _child_text(body, "OutputStreams") or "stdout stderr",
               "consolemode_stdin": consolemode}
    requested_id = body.get("ShellId")
    shell_id = _guid(requested_id) if requested_id else str(uuid.uuid4()).upper()
    with host.lock:
        if shell_id in host.shells:
            raise faults.shell_id_in_use(shell_id)
        owned = sum(1 for s in host.shells.values() if s.user is user)
        if owned >= host.settings.max_shells_per_user:
            raise faults.shell_quota(host.settings.max_shells_per_user)
        shell = Shell(host, shell_id, user, transport, options)
        host.shells[shell_id] = shell
    address = request.to or f"{transport['scheme']}://127.0.0.1:{transport['port']}/wsman"
    extra = ""
    if environment:
        extra += "<rsp:Environment>" + "".join(
            f"<rsp:Variable Name={quoteattr(k)}>{escape(v)}</rsp:Variable>" for k, v in environment.items()
        ) + "</rsp:Environment>"
    if options["working_directory"]:
        extra += f"<rsp:WorkingDirectory>{escape(options['working_directory'])}</rsp:WorkingDirectory>"
    response = (
        f"<x:ResourceCreated><a:Address>{escape(address)}</a:Address><a:ReferenceParameters>"
        f"<w:ResourceURI>{SHELL_URI}</w:ResourceURI><w:SelectorSet><w:Selector Name=\"ShellId\">{shell_id}"
        f"</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>"
        f'<rsp:Shell xmlns:rsp="{SHELL_NS}"><rsp:ShellId>{shell_id}</rsp:ShellId>'
        f"<rsp:ResourceUri>{SHELL_URI}</rsp:ResourceUri><rsp:Owner>{escape(user.principal)}</rsp:Owner>"
        f"<rsp:ClientIP>{escape(transport['client_ip'])}</rsp:ClientIP>{extra}"
        f"<rsp:IdleTimeOut>PT{idle_timeout:.3f}S</rsp:IdleTimeOut>"
        f"<rsp:InputStreams>{escape(options['input_streams'])}</rsp:InputStreams>"
        f"<rsp:OutputStreams>{escape(options['output_streams'])}</rsp:OutputStreams>"
        f"<rsp:ShellRunTime>P0DT0H0M0S</rsp:ShellRunTime><rsp:ShellInactivity>P0DT0H0M0S</rsp:ShellInactivity>"
        f"</rsp:Shell>")
    return _envelope(request, f"{TRANSFER}/CreateResponse", response)


def _child_text(element, name):
    child = element.find(q("rsp", name))
    return None if child is None else (child.text or "").strip()


def _guid(text):
    try:
        return str(uuid.UUID(text.strip())).upper()
    except ValueError:
        raise faults.invalid_option("ShellId", text) from None


def _command(shell, request):
    line = request.body.find(q("rsp", "CommandLine"))
    if line is None:
        raise faults.invalid_body("Command has no rsp:CommandLine")
    command = _child_text(line, "Command")
    if not command:
        raise faults.invalid_body("rsp:CommandLine has no rsp:Command")
    arguments = [(a.text or "") for a in line.findall(q("rsp", "Arguments"))]
    skip = _boolean(request.option("WINRS_SKIP_CMD_SHELL"), "WINRS_SKIP_CMD_SHELL") or False
    consolemode = _boolean(request.option("WINRS_CONSOLEMODE_STDIN"), "WINRS_CONSOLEMODE_STDIN")
    program = _program(command, arguments, skip)
    requested_id = line.get("CommandId")
    command_id = _guid(requested_id) if requested_id else str(uuid.uuid4()).upper()
    entry = Command(shell, command_id, command, arguments, skip, consolemode)
    with shell.lock:
        if command_id in shell.commands:
            raise faults.invalid_option("CommandId", command_id)
        shell.commands[command_id] = entry
    entry.start(program)
    return _envelope(request, f"{SHELL_NS}/CommandResponse",
                     f"<rsp:CommandResponse><rsp:CommandId>{command_id}</rsp:CommandId></rsp:CommandResponse>")


def _program(command, arguments, skip_cmd_shell):
    """The function that runs this command line in a process (ExecutionContext → exit code)."""
    tail = " ".join(arguments)
    if not skip_cmd_shell:
        line = " ".join([command, *arguments])
        return lambda ctx: cmdexe.run_line(ctx, line)
    # Without cmd.exe the command is an executable path: WinRS does not search PATH (pypsrp's recordings).
    path = command.strip('"').replace("/", "\\")
    base = path.rsplit("\\", 1)[-1].lower()
    if not (len(path) > 2 and path[1] == ":" and path[2] == "\\") or base not in (
            "cmd.exe", "powershell.exe"):
        raise faults.file_not_found()
    if base == "cmd.exe":
        return lambda ctx: cmdexe.run_cmd_exe(ctx, tail)
    return lambda ctx: powershell.run_powershell(ctx, tail)


def _send(shell, request):
    send = request.body.find(q("rsp", "Send"))
    if send is None:
        raise faults.invalid_body("Send has no rsp:Send")
    streams = send.findall(q("rsp", "Stream"))
    if not streams:
        raise faults.invalid_body("rsp:Send has no rsp:Stream")
    for stream in streams:
        if stream.get("Name") != "stdin":
            raise faults.invalid_option("Stream Name", stream.get("Name"))
        command = shell.command(stream.get("CommandId"))
        try:
            data = base64.b64decode((stream.text or "").strip(), validate=True)
        except binascii.Error:
            raise faults.invalid_body("rsp:Stream is not base64") from None
        end = (stream.get("End") or "").lower() in ("true", "1")
        command.send(data, end)
    return _envelope(request, f"{SHELL_NS}/SendResponse", "<rsp:SendResponse/>")


def _receive(shell, request, timeout, max_envelope):
    receive = request.body.find(q("rsp", "Receive"))
    desired = None if receive is None else receive.find(q("rsp", "DesiredStream"))
    if desired is None:
        raise faults.invalid_body("Receive has no rsp:DesiredStream")
    command_id = desired.get("CommandId")
    if not command_id:
        raise faults.command_not_found()
    command = shell.command(command_id)
    if command.done_delivered:
        raise faults.command_not_found()
    streams = set((desired.text or "stdout stderr").split())
    action = f"{SHELL_NS}/ReceiveResponse"
    namespaces = ("s", "a", "w", "rsp", "p")
    largest = _receive_body(command.id, [], True, 2 ** 31 - 1, list(streams))
    overhead = len(_envelope(request, action, largest, namespaces).encode())
    stream_overhead = len(_stream_element("stdout", command.id, "", False).encode())
    budget = Budget(max_envelope - overhead - 64, stream_overhead)
    chunks, done, exit_code = command.receive(streams, timeout, budget)
    shell.touch()
    return _envelope(request, action, _receive_body(command.id, chunks, done, exit_code, sorted(streams)),
                     namespaces)


def _stream_element(name, command_id, data, end):
    end_attr = ' End="true"' if end else ""
    return f'<rsp:Stream Name="{name}" CommandId="{command_id}"{end_attr}>{data}</rsp:Stream>'


def _receive_body(command_id, chunks, done, exit_code, streams):
    parts = [_stream_element(name, command_id, base64.b64encode(data).decode(), False) for name, data in chunks]
    if done:
        parts += [_stream_element(name, command_id, "", True) for name in ("stdout", "stderr") if name in streams]
        state = (f'<rsp:CommandState CommandId="{command_id}" State="{STATE_DONE}">'
                 f"<rsp:ExitCode>{exit_code}</rsp:ExitCode></rsp:CommandState>")
    else:
        state = f'<rsp:CommandState CommandId="{command_id}" State="{STATE_RUNNING}"></rsp:CommandState>'
    return f"<rsp:ReceiveResponse>{''.join(parts)}{state}</rsp:ReceiveResponse>"


def _signal(shell, request):
    signal = request.body.find(q("rsp", "Signal"))
    if signal is None:
        raise faults.invalid_body("Signal has no rsp:Signal")
    code = SIGNALS.get((_child_text(signal, "Code") or "").lower())
    if code is None:
        raise faults.parameter_incorrect()
    command = shell.command(signal.get("CommandId"))
    command.stop(code)
    if code == "terminate" or command.done_delivered:
        with shell.lock:
            shell.commands.pop(command.id, None)
    return _envelope(request, f"{SHELL_NS}/SignalResponse", "<rsp:SignalResponse/>")


__all__ = ["Host", "Settings", "handle", "NS"]
