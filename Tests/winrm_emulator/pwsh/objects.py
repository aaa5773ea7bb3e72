"""The fake .NET objects cmdlets return: ServiceController, Process, FileInfo/DirectoryInfo,
FileVersionInfo, CimInstance, Version, and the bits of System.Text, System.Security.Principal and
System.Console the bootstrap and the elevation check touch."""
import datetime
import hashlib

from .host import HostError, leaf_of, parent_of, parse_time
from .values import CIDict, DotNetObject, PSEnum, ps_error, to_float, to_str

SERVICE_STATUS = {"Stopped": 1, "StartPending": 2, "StopPending": 3, "Running": 4, "ContinuePending": 5,
                  "PausePending": 6, "Paused": 7}
START_MODE = {"Boot": 0, "System": 1, "Automatic": 2, "Manual": 3, "Disabled": 4}
BUILTIN_ROLES = {"Administrator": 544, "User": 545, "Guest": 546, "PowerUser": 547, "AccountOperator": 548,
                 "SystemOperator": 549, "PrintOperator": 550, "BackupOperator": 551, "Replicator": 552}


def service_status(name):
    return PSEnum("System.ServiceProcess.ServiceControllerStatus", name, SERVICE_STATUS[name])


def start_mode(name):
    return PSEnum("System.ServiceProcess.ServiceStartMode", name, START_MODE[name])


def enum_from(type_name, table, value):
    """An enum from a name (case-insensitive), a number or an enum of the type; else a cast error."""
    if isinstance(value, PSEnum):
        value = value.name
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        for name, number in table.items():
            if number == value:
                return PSEnum(type_name, name, number)
    text = to_str(value)
    for name, number in table.items():
        if name.lower() == text.strip().lower():
            return PSEnum(type_name, name, number)
    raise ps_error(f'Cannot convert value "{text}" to type "{type_name}". Error: "Unable to match the identifier '
                   f'name {text} to a valid enumerator name. Specify one of the following enumerator names and try '
                   f'again:\n{", ".join(table)}"', "System.Management.Automation.PSInvalidCastException",
                   "InvalidArgument", "RuntimeException")


class ServiceController(DotNetObject):
    type_name = "System.ServiceProcess.ServiceController"
    default_display = ["Status", "Name", "DisplayName"]

    def __init__(self, interp, service):
        self.interp = interp
        self.name = service.name
        self.snapshot = service.status
        self.display_name = service.display_name
        self.start_type = service.start_type

    def _service(self):
        service = self.interp.host.service(self.name)
        if service is None:
            raise ps_error(f"Service {self.name} was not found on computer '.'.", "System.InvalidOperationException")
        return service

    def refresh(self):
        service = self._service()
        self.snapshot = service.status
        self.start_type = service.start_type

    def properties(self):
        return CIDict([("Name", self.name), ("ServiceName", self.name), ("DisplayName", self.display_name),
                       ("Status", service_status(self.snapshot)), ("StartType", start_mode(self.start_type)),
                       ("CanStop", self.snapshot == "Running"), ("CanPauseAndContinue", False),
                       ("MachineName", "."),
                       ("ServiceType", PSEnum("System.ServiceProcess.ServiceType", "Win32OwnProcess", 16)),
                       ("DependentServices", []), ("ServicesDependedOn", [])])

    def call(self, name, args):
        lower = name.lower()
        if lower == "refresh" and not args:
            self.refresh()
            return None
        if lower == "waitforstatus" and len(args) in (1, 2):
            self.wait_for_status(enum_from("System.ServiceProcess.ServiceControllerStatus", SERVICE_STATUS,
                                           args[0]).name, args[1] if len(args) == 2 else None)
            return None
        if lower in ("start", "stop") and not args:
            host = self.interp.host
            try:
                if lower == "start":
                    host.start_service(self._service())
                else:
                    host.stop_service(self._service())
            except HostError as error:
                verb = "start" if lower == "start" else "stop"
                raise ps_error(f'Exception calling "{name}" with "0" argument(s): "Cannot {verb} service '
                               f'{self.name} on computer \'.\'."', "System.InvalidOperationException") from error
            return None
        return super().call(name, args)

    def wait_for_status(self, desired, timeout):
        """Polls the fake host until the status is reached; without a timeout it waits for ever (the
        script's own timeout or a cancel ends it); with one it throws TimeoutException after it."""
        host = self.interp.host
        limit = None
        if timeout is not None:
            if not isinstance(timeout, datetime.timedelta):
                raise ps_error(f'Cannot convert argument "timeout", with value: "{to_str(timeout)}", for '
                               f'"WaitForStatus" to type "System.TimeSpan"', "System.Management.Automation."
                               "MethodException")
            limit = host.now + timeout
        while True:
            self.refresh()
            if self.snapshot == desired:
                return
            upcoming = host.next_event()
            soon = max((upcoming - host.now).total_seconds(), 0.001) if upcoming is not None else None
            if limit is not None:
                left = (limit - host.now).total_seconds()
                if left <= 0:
                    raise PSTimeout()
                step = soon if soon is not None and soon <= left else left
            else:
                # Nothing changes by itself: wait as Windows would, until the script's timeout or a cancel.
                step = soon if soon is not None else 1.0
            host.sleep(step, self.interp.cancel)
            self.interp.check_cancel()

    def to_string(self):
        return self.type_name


def PSTimeout():
    return ps_error('Exception calling "WaitForStatus" with "2" argument(s): "Time out has expired and the operation '
                    'has not been completed."', "System.ServiceProcess.TimeoutException",
                    error_id="TimeoutException")


class ProcessObject(DotNetObject):
    type_name = "System.Diagnostics.Process"
    default_display = ["Id", "ProcessName", "CPU", "WorkingSet64"]

    def __init__(self, interp, process):
        self.interp = interp
        self.process = process

    def properties(self):
        p = self.process
        host = self.interp.host
        # Without elevation, another account's process does not tell its path, start time or CPU time.
        visible = host.elevated or p.user.lower() == host.user.lower()
        return CIDict([("Name", p.name), ("ProcessName", p.name), ("Id", p.id), ("CPU", p.cpu if visible else None),
                       ("WorkingSet64", p.memory), ("WorkingSet", p.memory), ("WS", p.memory),
                       ("PrivateMemorySize64", p.memory), ("PM", p.memory),
                       ("Path", (p.path or None) if visible else None),
                       ("StartTime", parse_time(p.start_time) if visible else None), ("Responding", True),
                       ("HasExited", all(q.id != p.id for q in self.interp.host.processes)),
                       ("SessionId", 0), ("Handles", 240)])

    def call(self, name, args):
        if name.lower() == "kill" and not args:
            self.interp.host.stop_process(self.process)
            return None
        if name.lower() == "refresh" and not args:
            return None
        return super().call(name, args)

    def to_string(self):
        return f"System.Diagnostics.Process ({self.process.name})"


class FileVersionInfo(DotNetObject):
    type_name = "System.Diagnostics.FileVersionInfo"

    def __init__(self, path, version):
        self.path = path
        self.version = version

    def properties(self):
        return CIDict([("FileName", self.path), ("FileVersion", self.version), ("ProductVersion", self.version),
                       ("ProductName", None), ("CompanyName", None), ("FileDescription", None)])


FILE_ATTRIBUTES = {"ReadOnly": 1, "Hidden": 2, "System": 4, "Directory": 16, "Archive": 32, "Normal": 128,
                   "ReparsePoint": 1024}


def file_attributes(host, path, is_dir):
    names = ["Directory"] if is_dir else ["Archive"]
    if host.is_reparse_point(path):
        names.append("ReparsePoint")
    return PSEnum("System.IO.FileAttributes", ", ".join(names), sum(FILE_ATTRIBUTES[n] for n in names))


def file_mode(is_dir):
    return "d-----" if is_dir else "-a----"


class FileInfo(DotNetObject):
    type_name = "System.IO.FileInfo"
    default_display = ["Mode", "LastWriteTime", "Length", "Name"]

    def __init__(self, interp, entry):
        self.interp = interp
        self.entry = entry

    def properties(self):
        e = self.entry
        name = leaf_of(e.path)
        base, dot, ext = name.rpartition(".")
        parent = parent_of(e.path)
        return CIDict([("Name", name), ("FullName", e.path), ("Length", len(e.data)),
                       ("LastWriteTime", parse_time(e.modified)), ("CreationTime", parse_time(e.modified)),
                       ("Extension", dot + ext if dot else ""), ("BaseName", base if dot else name),
                       ("DirectoryName", parent), ("Directory", DirectoryInfo(self.interp, parent) if parent else None),
                       ("Exists", self.interp.host.is_file(e.path)), ("PSIsContainer", False),
                       ("Mode", file_mode(False)), ("IsReadOnly", False),
                       ("Attributes", file_attributes(self.interp.host, e.path, False)),
                       ("VersionInfo", FileVersionInfo(e.path, e.version)),
                       ("PSPath", "Microsoft.PowerShell.Core\\FileSystem::" + e.path)])

    def to_string(self):
        return self.entry.path


class DirectoryInfo(DotNetObject):
    type_name = "System.IO.DirectoryInfo"
    default_display = ["Mode", "LastWriteTime", "Length", "Name"]

    def __init__(self, interp, path):
        self.interp = interp
        self.path = interp.host.display_path(path)

    def properties(self):
        parent = parent_of(self.path)
        return CIDict([("Name", leaf_of(self.path) or self.path), ("FullName", self.path),
                       ("Parent", DirectoryInfo(self.interp, parent) if parent else None),
                       ("Exists", self.interp.host.is_dir(self.path)), ("PSIsContainer", True),
                       ("Mode", file_mode(True)), ("Length", None), ("Extension", ""),
                       ("Attributes", file_attributes(self.interp.host, self.path, True)),
                       ("BaseName", leaf_of(self.path)), ("LastWriteTime", self.interp.host.now),
                       ("PSPath", "Microsoft.PowerShell.Core\\FileSystem::" + self.path)])

    def to_string(self):
        return self.path


class CimInstance(DotNetObject):
    def __init__(self, class_name, props):
        self.type_name = f"Microsoft.Management.Infrastructure.CimInstance#root/cimv2/{class_name}"
        self.props = CIDict(props)
        self.default_display = list(self.props.keys())[:6]

    def properties(self):
        return self.props

    def to_string(self):
        return self.type_name.split("#")[-1].split("/")[-1]


class Version(DotNetObject):
    type_name = "System.Version"

    def __init__(self, text):
        parts = [int(part) for part in text.split(".")]
        if not 2 <= len(parts) <= 4:
            raise ps_error(f'Cannot convert value "{text}" to type "System.Version".',
                           "System.Management.Automation.PSInvalidCastException", "InvalidArgument")
        self.parts = parts

    def key(self):
        return tuple(self.parts + [-1] * (4 - len(self.parts)))

    def properties(self):
        padded = self.parts + [-1] * (4 - len(self.parts))
        return CIDict(zip(["Major", "Minor", "Build", "Revision"], padded))

    def to_string(self):
        return ".".join(str(part) for part in self.parts)


class UTF8Encoding(DotNetObject):
    type_name = "System.Text.UTF8Encoding"

    def __init__(self, bom=False):
        self.bom = bom

    def properties(self):
        return CIDict([("EncodingName", "Unicode (UTF-8)"), ("WebName", "utf-8"), ("CodePage", 65001),
                       ("BodyName", "utf-8")])

    def call(self, name, args):
        lower = name.lower()
        if lower == "getbytes" and len(args) == 1:
            return list(to_str(args[0]).encode("utf-8"))
        if lower == "getstring" and len(args) == 1:
            return bytes(int(b) for b in args[0]).decode("utf-8", errors="replace")
        if lower == "getpreamble" and not args:
            return [0xEF, 0xBB, 0xBF] if self.bom else []
        return super().call(name, args)


class TextReader(DotNetObject):
    """[Console]::In: the script text the client sent as stdin."""

    type_name = "System.IO.SyncTextReader"

    def __init__(self, interp):
        self.interp = interp

    def call(self, name, args):
        lower = name.lower()
        if lower == "readtoend" and not args:
            text, self.interp.stdin = self.interp.stdin, ""
            return text
        if lower == "readline" and not args:
            if self.interp.stdin == "":
                return None
            line, _, rest = self.interp.stdin.partition("\n")
            self.interp.stdin = rest
            return line.rstrip("\r")
        return super().call(name, args)


class TextWriter(DotNetObject):
    """[Console]::Out and [Console]::Error."""

    type_name = "System.IO.SyncTextWriter"

    def __init__(self, interp, stream):
        self.interp = interp
        self.stream = stream

    def call(self, name, args):
        lower = name.lower()
        if lower in ("write", "writeline") and len(args) <= 1:
            text = to_str(args[0]) if args else ""
            if lower == "writeline":
                text += "\r\n"
            self.interp.console_write(self.stream, text)
            return None
        if lower == "flush" and not args:
            return None
        return super().call(name, args)


class WindowsIdentity(DotNetObject):
    type_name = "System.Security.Principal.WindowsIdentity"

    def __init__(self, interp):
        self.interp = interp

    def properties(self):
        host = self.interp.host
        return CIDict([("Name", f"{host.computer_name}\\{host.user}"), ("IsSystem", False),
                       ("IsAuthenticated", True), ("AuthenticationType", "NTLM")])


class WindowsPrincipal(DotNetObject):
    type_name = "System.Security.Principal.WindowsPrincipal"

    def __init__(self, interp, identity):
        self.interp = interp
        self.identity = identity

    def properties(self):
        return CIDict([("Identity", self.identity)])

    def call(self, name, args):
        if name.lower() == "isinrole" and len(args) == 1:
            role = args[0]
            if isinstance(role, PSEnum):
                role = role.name
            text = to_str(role).lower()
            if text in ("administrator", "administrators", "builtin\\administrators", "544"):
                return bool(self.interp.host.elevated)
            if text in ("user", "users", "builtin\\users", "545"):
                return True
            return False
        return super().call(name, args)


def file_hash(data):
    return hashlib.sha256(data).hexdigest().upper()


def timespan_arg(value):
    return datetime.timedelta(seconds=to_float(value))
