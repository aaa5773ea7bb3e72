"""Services, processes, CIM/WMI classes and drives of the fake host."""
import re

from . import operators
from .cmdlets import P, cmdlet
from .errors import Unsupported
from .host import HostError, parse_time
from .objects import CimInstance, ProcessObject, ServiceController, enum_from, START_MODE
from .values import PSObject, enumerate_value, to_int, to_str

SERVICE_ERROR = "Microsoft.PowerShell.Commands.ServiceCommandException"


# --- services -----------------------------------------------------------------------------------------

def _services_by_name(ctx, names, display=False):
    """Services matching each name (wildcards allowed); an error for a wildcard-free name that matches none."""
    host = ctx.host
    host.settle()
    found = []
    for name in names:
        name = to_str(name)
        matches = [s for s in sorted(host.services.values(), key=lambda s: s.name.lower())
                   if operators.wildcard_match(name, s.display_name if display else s.name)]
        if not matches and not operators.has_wildcards(name):
            if display:
                ctx.error(f"Cannot find any service with display name '{name}'.", "ObjectNotFound",
                          "NoServiceFoundForGivenDisplayName", SERVICE_ERROR, name)
            else:
                ctx.error(f"Cannot find any service with service name '{name}'.", "ObjectNotFound",
                          "NoServiceFoundForGivenName", SERVICE_ERROR, name)
        for service in matches:
            if service not in found:
                found.append(service)
    return found


def _target_services(ctx, bound, items):
    if "InputObject" in bound or (items is not None and "Name" not in bound and "DisplayName" not in bound):
        services = []
        for item in (items if items is not None else enumerate_value(bound["InputObject"])):
            if isinstance(item, ServiceController):
                services.extend(_services_by_name(ctx, [item.name]))
            else:
                services.extend(_services_by_name(ctx, [to_str(item)]))
        return services
    if "DisplayName" in bound:
        return _services_by_name(ctx, enumerate_value(bound["DisplayName"]), display=True)
    if "Name" not in bound:
        raise ctx.fail("Cannot process command because of one or more missing mandatory parameters: Name.",
                       error_id="MissingMandatoryParameter",
                       exception="System.Management.Automation.ParameterBindingException")
    return _services_by_name(ctx, enumerate_value(bound["Name"]))


@cmdlet("Get-Service", P("Name", position=0, aliases=("ServiceName",)), P("DisplayName"), P("InputObject"),
        P("DependentServices", switch=True), P("RequiredServices", switch=True), P("Include"), P("Exclude"),
        P("ComputerName"))
def get_service(ctx, bound, items):
    if "ComputerName" in bound or "Include" in bound or "Exclude" in bound:
        raise Unsupported("Get-Service -ComputerName/-Include/-Exclude", ctx.line())
    if bound.get("DependentServices") or bound.get("RequiredServices"):
        return
    if "Name" not in bound and "DisplayName" not in bound and "InputObject" not in bound and items is None:
        bound = dict(bound, Name="*")
    for service in _target_services(ctx, bound, items):
        ctx.write(ServiceController(ctx.interp, service))


SERVICE_CHANGE = (P("Name", position=0, aliases=("ServiceName",)), P("DisplayName"), P("InputObject"),
                  P("PassThru", switch=True), P("Force", switch=True), P("NoWait", switch=True),
                  P("Include"), P("Exclude"))


def _change(ctx, bound, items, operations, error_id):
    if "Include" in bound or "Exclude" in bound:
        raise Unsupported(f"{ctx.name} -Include/-Exclude", ctx.line())
    if bound.get("NoWait"):
        raise Unsupported(f"{ctx.name} -NoWait", ctx.line())
    for service in _target_services(ctx, bound, items):
        try:
            for operation in operations:
                operation(service)
        except HostError as error:
            ctx.error(error.message, error.kind, error_id, error.exception, service.name)
            continue
        if bound.get("PassThru"):
            ctx.write(ServiceController(ctx.interp, service))


@cmdlet("Start-Service", *SERVICE_CHANGE)
def start_service(ctx, bound, items):
    _change(ctx, bound, items, [ctx.host.start_service], "StartServiceFailed")


@cmdlet("Stop-Service", *SERVICE_CHANGE)
def stop_service(ctx, bound, items):
    _change(ctx, bound, items, [ctx.host.stop_service], "StopServiceFailed")


@cmdlet("Restart-Service", *SERVICE_CHANGE)
def restart_service(ctx, bound, items):
    _change(ctx, bound, items, [ctx.host.stop_service, ctx.host.start_service], "StartServiceFailed")


@cmdlet("Set-Service", P("Name", position=0, aliases=("ServiceName",)), P("InputObject"), P("StartupType"),
        P("Status"), P("DisplayName"), P("Description"), P("PassThru", switch=True))
def set_service(ctx, bound, items):
    if "DisplayName" in bound or "Description" in bound:
        raise Unsupported("Set-Service -DisplayName/-Description", ctx.line())
    startup = None
    if "StartupType" in bound:
        settable = {k: v for k, v in START_MODE.items() if k in ("Automatic", "Manual", "Disabled")}
        startup = enum_from("System.ServiceProcess.ServiceStartMode", settable, bound["StartupType"]).name
    status = to_str(bound["Status"]).lower() if "Status" in bound else None
    if status not in (None, "running", "stopped"):
        raise Unsupported(f"Set-Service -Status {status}", ctx.line())
    for service in _target_services(ctx, bound, items):
        try:
            if startup:
                ctx.host.set_start_type(service, startup)
            if status == "running":
                ctx.host.start_service(service)
            elif status == "stopped":
                ctx.host.stop_service(service)
        except HostError as error:
            ctx.error(error.message, error.kind, "ServiceCommandFailed", error.exception, service.name)
            continue
        if bound.get("PassThru"):
            ctx.write(ServiceController(ctx.interp, service))


# --- processes ------------------------------------------------------------------------------------------

def _processes(ctx, bound, items):
    host = ctx.host
    host.settle()
    if "Id" in bound:
        found = []
        for pid in enumerate_value(bound["Id"]):
            pid = to_int(pid)
            matches = [p for p in host.processes if p.id == pid]
            if not matches:
                ctx.error(f"Cannot find a process with the process identifier {pid}.", "ObjectNotFound",
                          "NoProcessFoundForGivenId", "Microsoft.PowerShell.Commands.ProcessCommandException", pid)
            found.extend(matches)
        return found
    if "Name" in bound:
        found = []
        for name in enumerate_value(bound["Name"]):
            name = to_str(name)
            matches = [p for p in sorted(host.processes, key=lambda p: (p.name.lower(), p.id))
                       if operators.wildcard_match(name, p.name)]
            if not matches and not operators.has_wildcards(name):
                ctx.error(f'Cannot find a process with the name "{name}". Verify the process name and call the '
                          f'cmdlet again.', "ObjectNotFound", "NoProcessFoundForGivenName",
                          "Microsoft.PowerShell.Commands.ProcessCommandException", name)
            found.extend(p for p in matches if p not in found)
        return found
    if "InputObject" in bound or items is not None:
        values = items if items is not None else enumerate_value(bound["InputObject"])
        return [value.process for value in values if isinstance(value, ProcessObject)]
    return sorted(host.processes, key=lambda p: (p.name.lower(), p.id))


@cmdlet("Get-Process", P("Name", position=0, aliases=("ProcessName",)), P("Id", aliases=("PID",)),
        P("InputObject"), P("ComputerName"), P("Module", switch=True), P("IncludeUserName", switch=True))
def get_process(ctx, bound, items):
    if "ComputerName" in bound or bound.get("Module") or bound.get("IncludeUserName"):
        raise Unsupported("Get-Process -ComputerName/-Module/-IncludeUserName", ctx.line())
    for process in _processes(ctx, bound, items):
        ctx.write(ProcessObject(ctx.interp, process))


@cmdlet("Stop-Process", P("Id", position=0), P("Name", aliases=("ProcessName",)), P("InputObject"),
        P("Force", switch=True), P("PassThru", switch=True))
def stop_process(ctx, bound, items):
    for process in _processes(ctx, bound, items):
        if process.id in (0, 4):
            ctx.error(f'Cannot stop process "{process.name} ({process.id})" because of the following error: Access '
                      f'is denied', "CloseError", "CouldNotStopProcess",
                      "Microsoft.PowerShell.Commands.ProcessCommandException", process.id)
            continue
        ctx.host.stop_process(process)
        if bound.get("PassThru"):
            ctx.write(ProcessObject(ctx.interp, process))


# --- CIM / WMI ------------------------------------------------------------------------------------------

START_MODES = {"Automatic": "Auto", "Manual": "Manual", "Disabled": "Disabled", "Boot": "Boot", "System": "System"}


def _dmtf(value):
    return value.strftime("%Y%m%d%H%M%S.000000+000")


def _cim_rows(ctx, class_name, wmi):
    host = ctx.host
    host.settle()
    stamp = _dmtf if wmi else (lambda value: value)
    lower = class_name.lower()
    if lower == "win32_service":
        rows = []
        for s in sorted(host.services.values(), key=lambda s: s.name.lower()):
            pid = next((p.id for p in host.processes if p.service == s.name), 0)
            rows.append([("Name", s.name), ("DisplayName", s.display_name), ("State", s.status),
                         ("Status", "OK"), ("StartMode", START_MODES[s.start_type]), ("PathName", s.binary_path),
                         ("ProcessId", pid), ("StartName", s.account), ("Started", s.status == "Running"),
                         ("ServiceType", "Own Process"), ("AcceptStop", s.status == "Running"), ("ExitCode", 0),
                         ("Description", None)])
        return rows
    if lower == "win32_logicaldisk":
        return [[("DeviceID", d["name"]), ("DriveType", d.get("drive_type", 3)), ("Size", d["size"]),
                 ("FreeSpace", d["free"]), ("VolumeName", d.get("label", "")),
                 ("FileSystem", d.get("filesystem", "NTFS")), ("ProviderName", None)] for d in host.disks]
    if lower == "win32_operatingsystem":
        return [[("Caption", host.os["caption"]), ("Version", host.os["version"]),
                 ("BuildNumber", host.os.get("build", "")), ("CSName", host.computer_name),
                 ("LastBootUpTime", stamp(host.boot_time)), ("LocalDateTime", stamp(host.now)),
                 ("TotalVisibleMemorySize", host.memory["total_kb"]),
                 ("FreePhysicalMemory", host.memory["free_kb"]),
                 ("TotalVirtualMemorySize", host.memory.get("total_virtual_kb", host.memory["total_kb"] * 2)),
                 ("FreeVirtualMemory", host.memory.get("free_virtual_kb", host.memory["free_kb"] * 2)),
                 ("OSArchitecture", "64-bit"), ("NumberOfProcesses", len(host.processes))]]
    if lower == "win32_computersystem":
        return [[("Name", host.computer_name), ("Domain", host.domain), ("PartOfDomain", host.domain != "WORKGROUP"),
                 ("Manufacturer", "Microsoft Corporation"), ("Model", "Virtual Machine"),
                 ("TotalPhysicalMemory", host.memory["total_kb"] * 1024),
                 ("NumberOfLogicalProcessors", int(host.environment()["NUMBER_OF_PROCESSORS"]))]]
    if lower == "win32_processor":
        return [[("DeviceID", "CPU0"), ("Name", host.cpu["name"]), ("NumberOfCores", host.cpu["cores"]),
                 ("NumberOfLogicalProcessors", host.cpu["logical"]), ("LoadPercentage", host.cpu["load"])]]
    if lower == "win32_process":
        return [[("Name", p.name + ".exe"), ("ProcessId", p.id), ("ExecutablePath", p.path or None),
                 ("WorkingSetSize", p.memory), ("CreationDate", stamp(parse_time(p.start_time)))]
                for p in sorted(host.processes, key=lambda p: p.id)]
    raise Unsupported(f"CIM class {class_name}", ctx.line())


_WQL_TOKEN = re.compile(r"\s*(?:(?P<string>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")|(?P<number>-?\d+)|"
                        r"(?P<op><>|!=|<=|>=|=|<|>)|(?P<word>[A-Za-z_][A-Za-z0-9_]*))")


def wql_filter(text):
    """A WQL WHERE clause (comparisons joined by AND/OR, LIKE with % and _) as a predicate on a row."""
    tokens = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _WQL_TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ValueError(text)
        position = match.end()
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "string":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif kind == "number":
            value = int(value)
        tokens.append((kind, value))
    groups = [[]]
    index = 0
    while index < len(tokens):
        if index + 3 > len(tokens):
            raise ValueError(text)
        (kind1, prop), (kind2, op), (kind3, value) = tokens[index:index + 3]
        op = op.upper() if isinstance(op, str) else op
        if kind1 != "word" or not (kind2 == "op" or (kind2 == "word" and op == "LIKE")) or \
                kind3 not in ("string", "number"):
            raise ValueError(text)
        groups[-1].append((prop, op, value))
        index += 3
        if index < len(tokens):
            joiner = str(tokens[index][1]).upper()
            if joiner == "OR":
                groups.append([])
            elif joiner != "AND":
                raise ValueError(text)
            index += 1

    def check(row):
        return any(all(_wql_compare(row.get(prop.lower()), op, value) for prop, op, value in group)
                   for group in groups)
    return check


def _wql_compare(actual, op, expected):
    if op == "LIKE":
        pattern = "^" + re.escape(str(expected)).replace("%", ".*").replace("_", ".") + "$"
        return actual is not None and re.match(pattern, str(actual), re.IGNORECASE) is not None
    if isinstance(expected, int):
        try:
            actual = int(actual)
        except (TypeError, ValueError):
            return False
    else:
        actual, expected = str(actual).lower() if actual is not None else None, expected.lower()
    if actual is None:
        return False
    return {"=": actual == expected, "<>": actual != expected, "!=": actual != expected, "<": actual < expected,
            ">": actual > expected, "<=": actual <= expected, ">=": actual >= expected}[op]


def _cim(ctx, bound, class_key, wmi):
    if "Query" in bound or "ComputerName" in bound or "CimSession" in bound:
        raise Unsupported(f"{ctx.name} -Query/-ComputerName/-CimSession", ctx.line())
    namespace = to_str(bound.get("Namespace", "root/cimv2")).replace("\\", "/").lower()
    if namespace != "root/cimv2":
        raise Unsupported(f"CIM namespace {namespace}", ctx.line())
    class_name = to_str(bound.get(class_key))
    rows = _cim_rows(ctx, class_name, wmi)
    if "Filter" in bound:
        try:
            check = wql_filter(to_str(bound["Filter"]))
        except ValueError:
            raise ctx.fail("Invalid query ", "InvalidArgument", "HRESULT 0x80041017",
                           "Microsoft.Management.Infrastructure.CimException")
        rows = [row for row in rows if check({k.lower(): v for k, v in row})]
    canonical = {"win32_service": "Win32_Service", "win32_logicaldisk": "Win32_LogicalDisk",
                 "win32_operatingsystem": "Win32_OperatingSystem", "win32_computersystem": "Win32_ComputerSystem",
                 "win32_process": "Win32_Process", "win32_processor": "Win32_Processor"}[class_name.lower()]
    for row in rows:
        ctx.write(CimInstance(canonical, row))


@cmdlet("Get-CimInstance", P("ClassName", position=0), P("Filter"), P("Property"), P("Namespace"), P("Query"),
        P("ComputerName"), P("CimSession"))
def get_cim_instance(ctx, bound, items):
    _cim(ctx, bound, "ClassName", wmi=False)


@cmdlet("Get-WmiObject", P("Class", position=0), P("Filter"), P("Property"), P("Namespace"), P("Query"),
        P("ComputerName"))
def get_wmi_object(ctx, bound, items):
    _cim(ctx, bound, "Class", wmi=True)


# --- drives ---------------------------------------------------------------------------------------------

@cmdlet("Get-PSDrive", P("Name", position=0), P("PSProvider"))
def get_psdrive(ctx, bound, items):
    provider = to_str(bound.get("PSProvider", "FileSystem")).lower()
    if provider not in ("filesystem", "microsoft.powershell.core\\filesystem"):
        raise Unsupported(f"Get-PSDrive -PSProvider {provider}", ctx.line())
    names = [to_str(name) for name in enumerate_value(bound["Name"])] if "Name" in bound else ["*"]
    for name in names:
        matches = [d for d in ctx.host.disks if operators.wildcard_match(name, d["name"].rstrip(":"))]
        if not matches and not operators.has_wildcards(name):
            ctx.error(f"Cannot find drive. A drive with the name '{name}' does not exist.", "ObjectNotFound",
                      "GetLocationNoMatchingDrive", "System.Management.Automation.DriveNotFoundException", name)
        for disk in sorted(matches, key=lambda d: d["name"]):
            ctx.write(PSObject([("Name", disk["name"].rstrip(":")), ("Used", disk["size"] - disk["free"]),
                                ("Free", disk["free"]), ("Provider", "FileSystem"),
                                ("Root", disk["name"].rstrip(":") + ":\\"),
                                ("Description", disk.get("label", "")), ("CurrentLocation", "")]))
