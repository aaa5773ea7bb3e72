"""The fake Windows host a script runs against: services, processes, files, disks, memory, a clock.

State changes are real in the fake: starting a service starts its process, stopping it ends the
process, a running binary cannot be overwritten, a stopped process stops its service. Time is a
fake clock that advances by what scripts wait (Start-Sleep, Stop-Service's delay, WaitForStatus)
plus a millisecond per statement; `real_sleep` is the fraction of each wait also spent really
waiting (1.0 = real time, 0 = instant), always interruptible by the cancel event.

Behaviour knobs per service: fails_to_start, fails_to_stop, start_delay_seconds,
stop_delay_seconds, crash_after_seconds (Stopped again that long after a start), process_lingers
(the process survives a stop), broken_binaries (SHA-256s of binaries the service cannot start with),
settles_at (when a pending status becomes the status it leads to; none: the service hangs).
"""
import base64
import copy
import datetime
import hashlib
import threading
from dataclasses import asdict, dataclass, field

from .errors import Cancelled

ISO = "%Y-%m-%dT%H:%M:%S"
PENDING = {"StartPending": "Running", "StopPending": "Stopped", "ContinuePending": "Running",
           "PausePending": "Paused"}


class HostError(Exception):
    """A Windows API failure; cmdlets turn it into an error record."""

    def __init__(self, message, kind="InvalidOperation", exception="System.InvalidOperationException"):
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.exception = exception


def parse_time(text):
    return datetime.datetime.fromisoformat(text) if isinstance(text, str) else text


def norm(path):
    """The comparison form of a Windows path: backslashes, no trailing separator, lower case."""
    path = path.replace("/", "\\")
    while len(path) > 3 and path.endswith("\\"):
        path = path[:-1]
    if len(path) == 2 and path[1] == ":":
        path += "\\"
    return path.lower()


def parent_of(path):
    path = path.replace("/", "\\").rstrip("\\")
    if path.startswith("\\\\"):
        parts = path[2:].split("\\")
        if len(parts) <= 2:
            return None
        return "\\\\" + "\\".join(parts[:-1])
    if "\\" not in path:
        return None
    head = path.rsplit("\\", 1)[0]
    return head + "\\" if len(head) == 2 and head[1] == ":" else head


def leaf_of(path):
    return path.replace("/", "\\").rstrip("\\").rsplit("\\", 1)[-1]


@dataclass
class Service:
    name: str
    display_name: str = ""
    status: str = "Stopped"
    start_type: str = "Automatic"
    binary_path: str = ""
    process_name: str = ""
    account: str = "LocalSystem"
    fails_to_start: bool = False
    fails_to_stop: bool = False
    start_delay_seconds: float = 0
    stop_delay_seconds: float = 0
    crash_after_seconds: float = None
    process_lingers: bool = False
    broken_binaries: list = field(default_factory=list)
    crash_at: str = None
    # A StartPending/StopPending/ContinuePending/PausePending service reaches its state at this time;
    # without one it hangs in the pending state.
    settles_at: str = None

    @property
    def executable(self):
        """The program in binary_path (quoted, or everything up to .exe)."""
        text = self.binary_path.strip()
        if text.startswith('"'):
            return text[1:].split('"', 1)[0]
        lowered = text.lower()
        end = lowered.find(".exe")
        return text[:end + 4] if end >= 0 else text.split(" ", 1)[0]


@dataclass
class Process:
    name: str
    id: int
    path: str = ""
    cpu: float = 0.0
    memory: int = 0
    start_time: str = None
    service: str = None
    user: str = "SYSTEM"


@dataclass
class FileEntry:
    path: str
    data: bytes = b""
    version: str = None
    modified: str = None


class HostState:
    def __init__(self, computer_name="WIN01"):
        self.computer_name = computer_name
        self.domain = "WORKGROUP"
        self.user = "Administrator"
        self.elevated = True
        self.now = datetime.datetime(2024, 5, 6, 9, 30, 0)
        self.boot_time = datetime.datetime(2024, 5, 1, 6, 12, 40)
        self.real_sleep = 1.0
        self.os = {"caption": "Microsoft Windows Server 2019 Standard", "version": "10.0.17763", "build": "17763"}
        self.memory = {"total_kb": 16776692, "free_kb": 9437184}
        self.cpu = {"name": "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz", "cores": 4, "logical": 4, "load": 7}
        self.disks = []
        self.services = {}
        self.processes = []
        self.files = {}
        self.directories = {}
        self.reparse_points = set()
        self.env = {}
        self.next_pid = 4000
        # run_script holds the lock while a script runs; a sleeping script lets others run meanwhile.
        self.lock = threading.Lock()
        self.lock_owner = None
        self.cancel = None

    # --- construction ---------------------------------------------------------------------------

    @classmethod
    def default(cls, name="WIN01"):
        host = cls(name)
        host.disks = [
            {"name": "C:", "size": 127 * 2**30, "free": 61 * 2**30, "label": "OS", "filesystem": "NTFS",
             "drive_type": 3},
            {"name": "D:", "size": 500 * 2**30, "free": 410 * 2**30, "label": "Data", "filesystem": "NTFS",
             "drive_type": 3},
        ]
        for folder in ["C:\\Windows\\System32", "C:\\ProgramData", "C:\\Program Files",
                       f"C:\\Users\\{host.user}\\Documents",
                       "C:\\Windows\\Temp", "D:\\"]:
            host.mkdir(folder)
        system32 = "C:\\Windows\\System32\\"
        host.add_file(system32 + "svchost.exe", b"MZ svchost", version="10.0.17763.1")
        host.add_file(system32 + "spoolsv.exe", b"MZ spoolsv", version="10.0.17763.1")
        host.add_file(system32 + "wbem\\WmiPrvSE.exe", b"MZ wmiprvse", version="10.0.17763.1")
        host.add_service(Service("WinRM", "Windows Remote Management (WS-Management)", "Running", "Automatic",
                                 system32 + "svchost.exe -k NetworkService -p", "svchost"))
        host.add_service(Service("Spooler", "Print Spooler", "Running", "Automatic", system32 + "spoolsv.exe",
                                 "spoolsv"))
        host.add_service(Service("wuauserv", "Windows Update", "Stopped", "Manual",
                                 system32 + "svchost.exe -k netsvcs -p", "svchost"))
        host.add_process(Process("System", 4, "", 1520.5, 144 * 1024))
        host.add_process(Process("wsmprovhost", 3120, system32 + "wsmprovhost.exe", 1.2, 72 * 2**20,
                                 user=host.user))
        return host

    def add_service(self, service):
        if not service.display_name:
            service.display_name = service.name
        if not service.process_name:
            service.process_name = leaf_of(service.executable).rsplit(".", 1)[0]
        self.services[service.name.lower()] = service
        if service.status == "Running" and not any(p.service == service.name for p in self.processes):
            self.add_process(Process(service.process_name, self._pid(), service.executable, 3.5, 48 * 2**20,
                                     self.now.strftime(ISO), service.name))
        return service

    def add_process(self, process):
        if process.start_time is None:
            process.start_time = self.now.strftime(ISO)
        self.processes.append(process)
        self.next_pid = max(self.next_pid, process.id + 4)
        return process

    def _pid(self):
        self.next_pid += 4
        return self.next_pid

    def add_file(self, path, data, version=None, modified=None):
        if isinstance(data, str):
            data = data.encode("utf-8")
        parent = parent_of(path)
        if parent:
            self.mkdir(parent)
        self.files[norm(path)] = FileEntry(path, data, version, modified or self.now.strftime(ISO))

    def mkdir(self, path):
        while path and norm(path) not in self.directories:
            self.directories[norm(path)] = path
            path = parent_of(path)

    # --- (de)serialisation --------------------------------------------------------------------

    def to_dict(self):
        files = {}
        for entry in self.files.values():
            item = {"version": entry.version, "modified": entry.modified}
            try:
                item["text"] = entry.data.decode("utf-8")
            except UnicodeDecodeError:
                item["base64"] = base64.b64encode(entry.data).decode("ascii")
            files[entry.path] = item
        return {
            "computer_name": self.computer_name, "domain": self.domain, "user": self.user,
            "elevated": self.elevated, "now": self.now.strftime(ISO), "boot_time": self.boot_time.strftime(ISO),
            "real_sleep": self.real_sleep, "os": dict(self.os), "memory": dict(self.memory), "cpu": dict(self.cpu),
            "disks": copy.deepcopy(self.disks), "services": [asdict(s) for s in self.services.values()],
            "processes": [asdict(p) for p in self.processes], "files": files,
            "directories": sorted(self.directories.values(), key=str.lower),
            "reparse_points": sorted(self.reparse_points), "env": dict(self.env),
            "next_pid": self.next_pid,
        }

    @classmethod
    def from_dict(cls, data):
        host = cls(data.get("computer_name", "WIN01"))
        for key in ("domain", "user", "elevated", "real_sleep", "next_pid"):
            if key in data:
                setattr(host, key, data[key])
        for key in ("now", "boot_time"):
            if key in data:
                setattr(host, key, parse_time(data[key]))
        host.os.update(data.get("os", {}))
        host.memory.update(data.get("memory", {}))
        host.cpu.update(data.get("cpu", {}))
        host.disks = copy.deepcopy(data.get("disks", []))
        host.env = dict(data.get("env", {}))
        for folder in data.get("directories", []):
            host.mkdir(folder)
        for folder in data.get("reparse_points", []):
            host.mkdir(folder)
            host.reparse_points.add(norm(folder))
        for path, item in data.get("files", {}).items():
            if isinstance(item, (str, bytes)):
                host.add_file(path, item)
            elif "base64" in item:
                host.add_file(path, base64.b64decode(item["base64"]), item.get("version"), item.get("modified"))
            else:
                host.add_file(path, item.get("text", ""), item.get("version"), item.get("modified"))
        for item in data.get("processes", []):
            host.add_process(Process(**item))
        for item in data.get("services", []):
            host.add_service(Service(**item))
        return host

    # --- time ---------------------------------------------------------------------------------------

    def tick(self, seconds=0.001):
        self.now += datetime.timedelta(seconds=seconds)

    def sleep(self, seconds, cancel=None):
        """Waits `seconds` of fake time (and real_sleep of it for real), interruptible by `cancel`."""
        cancel = cancel or self.cancel
        if seconds <= 0:
            return
        real = seconds * self.real_sleep
        if real > 0:
            held = self.lock_owner == threading.get_ident()
            if held:
                self.lock_owner = None
                self.lock.release()
            try:
                if cancel is not None:
                    if cancel.wait(real):
                        raise Cancelled()
                else:
                    threading.Event().wait(real)
            finally:
                if held:
                    self.lock.acquire()
                    self.lock_owner = threading.get_ident()
        elif cancel is not None and cancel.is_set():
            raise Cancelled()
        self.now += datetime.timedelta(seconds=seconds)
        self.settle()

    def settle(self):
        """Applies what happened by itself up to now: pending statuses reached, services that crash."""
        for service in self.services.values():
            if service.status in PENDING and service.settles_at and parse_time(service.settles_at) <= self.now:
                service.settles_at = None
                self._reach(service, PENDING[service.status])
            if service.crash_at and parse_time(service.crash_at) <= self.now:
                service.crash_at = None
                service.status = "Stopped"
                self.processes = [p for p in self.processes if p.service != service.name]

    def next_event(self):
        times = [parse_time(s.crash_at) for s in self.services.values() if s.crash_at]
        times += [parse_time(s.settles_at) for s in self.services.values() if s.settles_at and s.status in PENDING]
        return min(times) if times else None

    def _reach(self, service, status):
        """The service is now in `status`, with its process started or ended as that needs."""
        service.status = status
        if status in ("Running", "Paused"):
            if not any(p.service == service.name for p in self.processes):
                self.add_process(Process(service.process_name, self._pid(), service.executable, 0.1, 24 * 2**20,
                                         self.now.strftime(ISO), service.name))
            return
        service.crash_at = None
        if service.process_lingers:
            for process in self.processes:
                if process.service == service.name:
                    process.service = None
        else:
            self.processes = [p for p in self.processes if p.service != service.name]

    def _wait_pending(self, service, failure):
        """A service in a pending status is waited for (Windows accepts no control meanwhile); one that
        hangs there cannot be started or stopped."""
        if service.status not in PENDING:
            return
        if not service.settles_at:
            raise HostError(failure, "OpenError", "Microsoft.PowerShell.Commands.ServiceCommandException")
        self.sleep(max((parse_time(service.settles_at) - self.now).total_seconds(), 0.001))
        self.settle()

    # --- services -----------------------------------------------------------------------------

    def service(self, name):
        self.settle()
        return self.services.get(name.lower())

    def start_service(self, service):
        self.settle()
        failure = f"Service '{service.display_name} ({service.name})' cannot be started due to the following " \
                  f"error: Cannot start service {service.name} on computer '.'."
        self._wait_pending(service, failure)
        if service.status == "Running":
            return
        if service.start_type == "Disabled":
            raise HostError(failure, "OpenError", "Microsoft.PowerShell.Commands.ServiceCommandException")
        binary = self.files.get(norm(service.executable))
        self.sleep(service.start_delay_seconds)
        broken = binary is not None and hashlib.sha256(binary.data).hexdigest() in \
            [h.lower() for h in service.broken_binaries]
        if binary is None or service.fails_to_start or broken:
            service.status = "Stopped"
            raise HostError(failure, "OpenError", "Microsoft.PowerShell.Commands.ServiceCommandException")
        self._reach(service, "Running")
        if service.crash_after_seconds is not None:
            service.crash_at = (self.now + datetime.timedelta(seconds=service.crash_after_seconds)).strftime(ISO)

    def stop_service(self, service):
        self.settle()
        failure = f"Service '{service.display_name} ({service.name})' cannot be stopped due to the following " \
                  f"error: Cannot stop {service.name} service on computer '.'."
        self._wait_pending(service, failure)
        if service.status == "Stopped":
            return
        if service.fails_to_stop:
            raise HostError(failure, "CloseError", "Microsoft.PowerShell.Commands.ServiceCommandException")
        self.sleep(service.stop_delay_seconds)
        self._reach(service, "Stopped")

    def set_start_type(self, service, start_type):
        service.start_type = start_type

    # --- processes ----------------------------------------------------------------------------

    def stop_process(self, process):
        self.processes = [p for p in self.processes if p.id != process.id]
        for service in self.services.values():
            if process.service == service.name and service.status == "Running":
                service.status = "Stopped"
                service.crash_at = None

    # --- files --------------------------------------------------------------------------------

    def is_file(self, path):
        return norm(path) in self.files

    def is_dir(self, path):
        return norm(path) in self.directories

    def exists(self, path):
        return self.is_file(path) or self.is_dir(path)

    def file(self, path):
        return self.files.get(norm(path))

    def is_reparse_point(self, path):
        return norm(path) in self.reparse_points

    def in_use(self, path):
        return any(p.path and norm(p.path) == norm(path) for p in self.processes)

    def write_file(self, path, data, version=None, keep_version=False):
        parent = parent_of(path)
        if parent and not self.is_dir(parent):
            raise HostError(f"Could not find a part of the path '{path}'.", "ObjectNotFound",
                            "System.IO.DirectoryNotFoundException")
        if self.is_dir(path):
            raise HostError(f"Access to the path '{path}' is denied.", "PermissionDenied",
                            "System.UnauthorizedAccessException")
        if self.in_use(path):
            raise HostError(f"The process cannot access the file '{path}' because it is being used by another "
                            f"process.", "WriteError", "System.IO.IOException")
        existing = self.files.get(norm(path))
        shown = existing.path if existing else path
        if keep_version and existing:
            version = existing.version
        self.files[norm(path)] = FileEntry(shown, data, version, self.now.strftime(ISO))

    def remove(self, path, recurse=False):
        key = norm(path)
        if key in self.files:
            if self.in_use(path):
                raise HostError(f"Cannot remove item {path}: The process cannot access the file '{path}' because "
                                f"it is being used by another process.", "WriteError", "System.IO.IOException")
            del self.files[key]
            return
        if key in self.directories:
            children = self.children(path)
            if children and not recurse:
                raise HostError(f"The item at {path} has children and the Recurse parameter was not specified.",
                                "WriteError", "System.IO.IOException")
            for child in children:
                self.remove(child, True)
            del self.directories[key]
            return
        raise HostError(f"Cannot find path '{path}' because it does not exist.", "ObjectNotFound",
                        "System.Management.Automation.ItemNotFoundException")

    def children(self, path):
        """Full display paths of the files and folders directly inside `path`."""
        key = norm(path)
        out = []
        for table in (self.directories, self.files):
            for item_key, item in table.items():
                shown = item if isinstance(item, str) else item.path
                parent = parent_of(shown)
                if parent is not None and norm(parent) == key and item_key != key:
                    out.append(shown)
        return sorted(out, key=str.lower)

    def display_path(self, path):
        entry = self.files.get(norm(path))
        if entry:
            return entry.path
        return self.directories.get(norm(path), path)

    # --- environment ----------------------------------------------------------------------------

    def environment(self):
        base = {
            "COMPUTERNAME": self.computer_name, "USERNAME": self.user, "USERDOMAIN": self.domain,
            "USERPROFILE": f"C:\\Users\\{self.user}", "ProgramData": "C:\\ProgramData", "ALLUSERSPROFILE":
            "C:\\ProgramData", "ProgramFiles": "C:\\Program Files", "ProgramFiles(x86)": "C:\\Program Files (x86)",
            "SystemRoot": "C:\\Windows", "windir": "C:\\Windows", "SystemDrive": "C:", "TEMP":
            f"C:\\Users\\{self.user}\\AppData\\Local\\Temp", "TMP": f"C:\\Users\\{self.user}\\AppData\\Local\\Temp",
            "OS": "Windows_NT", "PROCESSOR_ARCHITECTURE": "AMD64", "NUMBER_OF_PROCESSORS": str(self.cpu["logical"]),
            "PATHEXT": ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC",
            "PSModulePath": "C:\\Windows\\system32\\WindowsPowerShell\\v1.0\\Modules",
        }
        base.update(self.env)
        return base
