"""The .NET types a script may name: casts ([int]$x), type tests (-is), static members
([IO.Path]::GetFileName(...), [Console]::In, [Math]::Round(...)). Unknown types or members are
outside the subset (loud)."""
import base64
import datetime
import math
import re

from .errors import ExitSignal, Unsupported
from .formatting import format_operator
from .host import leaf_of, parent_of
from .objects import (BUILTIN_ROLES, FILE_ATTRIBUTES, SERVICE_STATUS, START_MODE, TextReader, TextWriter,
                      UTF8Encoding, Version, WindowsIdentity, WindowsPrincipal, enum_from)
from .operators import net_regex, net_replacement
from .values import (DotNetObject, PSEnum, PSHashtable, PSObject, ScriptBlock, cast_error, ps_error, to_bool,
                     to_float, to_int, to_number, to_str)


def _arity(type_name, name, args, *allowed):
    if len(args) not in allowed:
        raise ps_error(f'Cannot find an overload for "{name}" and the argument count: "{len(args)}".',
                       "System.Management.Automation.MethodException", "NotSpecified",
                       "MethodCountCouldNotFindBest")


# --- casts ------------------------------------------------------------------------------------------

def _to_char(value):
    if isinstance(value, str) and len(value) == 1:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return chr(value)
    raise cast_error(value, "System.Char", "String must be exactly one character long.")


def _to_datetime(value):
    if isinstance(value, datetime.datetime):
        return value
    text = to_str(value).strip()
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%m/%d/%Y %H:%M:%S",
                "%m/%d/%Y"):
        try:
            return datetime.datetime.strptime(text.rstrip("Z"), fmt)
        except ValueError:
            continue
    raise cast_error(value, "System.DateTime", "String was not recognized as a valid DateTime.")


def _to_timespan(value):
    if isinstance(value, datetime.timedelta):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.timedelta(microseconds=to_number(value) / 10)
    match = re.fullmatch(r"(-)?(?:(\d+)\.)?(\d+):(\d+)(?::(\d+)(?:\.(\d{1,7}))?)?", to_str(value).strip())
    if not match:
        raise cast_error(value, "System.TimeSpan", "String was not recognized as a valid TimeSpan.")
    sign, days, hours, minutes, seconds, fraction = match.groups()
    span = datetime.timedelta(days=int(days or 0), hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0),
                              microseconds=int((fraction or "0").ljust(7, "0")) / 10)
    return -span if sign else span


def _to_array(value):
    if value is None:
        return None
    return list(value) if isinstance(value, list) else [value]


def _typed_array(convert):
    def cast(value):
        if value is None:
            return None
        return [convert(item) for item in (value if isinstance(value, list) else [value])]
    return cast


def _to_hashtable(value):
    if isinstance(value, PSHashtable):
        return value
    raise cast_error(value, "System.Collections.Hashtable", "Only a hash table can be cast to a hash table here.")


def _to_pscustomobject(value):
    if isinstance(value, PSHashtable):
        return PSObject(value.items())
    return value


def _to_version(value):
    if isinstance(value, Version):
        return value
    try:
        return Version(to_str(value).strip())
    except ValueError:
        raise cast_error(value, "System.Version", "Input string was not in a correct format.")


def _to_string(value):
    return to_str(value)


def _enum_cast(type_name, table):
    return lambda value: enum_from(type_name, table, value)


class TypeDef:
    def __init__(self, full_name, cast=None, check=None, props=None, methods=None, setters=None):
        self.full_name = full_name
        self.cast = cast
        self.check = check
        self.props = props or {}
        self.methods = methods or {}
        self.setters = setters or {}

    def get_static(self, name, interp):
        prop = self.props.get(name.lower())
        if prop is None:
            raise Unsupported(f"static member [{self.full_name}]::{name}")
        return prop(interp)

    def set_static(self, name, value, interp):
        setter = self.setters.get(name.lower())
        if setter is None:
            raise Unsupported(f"setting static member [{self.full_name}]::{name}")
        setter(interp, value)

    def call_static(self, name, args, interp):
        method = self.methods.get(name.lower())
        if method is None:
            raise Unsupported(f"static method [{self.full_name}]::{name}")
        return method(interp, args)


# --- static members -------------------------------------------------------------------------------

def _path_methods():
    def file_name(interp, args):
        _arity("IO.Path", "GetFileName", args, 1)
        return None if args[0] is None else leaf_of(to_str(args[0])) if to_str(args[0]) else ""

    def without_extension(interp, args):
        _arity("IO.Path", "GetFileNameWithoutExtension", args, 1)
        name = leaf_of(to_str(args[0]))
        return name.rsplit(".", 1)[0] if "." in name else name

    def extension(interp, args):
        _arity("IO.Path", "GetExtension", args, 1)
        name = leaf_of(to_str(args[0]))
        return "." + name.rsplit(".", 1)[1] if "." in name and not name.endswith(".") else ""

    def directory_name(interp, args):
        _arity("IO.Path", "GetDirectoryName", args, 1)
        return parent_of(to_str(args[0]))

    def combine(interp, args):
        result = ""
        for part in (to_str(arg) for arg in args):
            if re.match(r"^([A-Za-z]:)?\\", part) or part.startswith("\\\\"):
                result = part
            elif result and not result.endswith("\\"):
                result += "\\" + part
            else:
                result += part
        return result

    def change_extension(interp, args):
        _arity("IO.Path", "ChangeExtension", args, 2)
        path = to_str(args[0])
        leaf = leaf_of(path)
        stem = path[:len(path) - len(leaf)] + (leaf.rsplit(".", 1)[0] if "." in leaf else leaf)
        ext = to_str(args[1])
        return stem + ("" if args[1] is None else (ext if ext.startswith(".") else "." + ext))

    def rooted(interp, args):
        _arity("IO.Path", "IsPathRooted", args, 1)
        return bool(re.match(r"^([A-Za-z]:)?\\", to_str(args[0]))) or to_str(args[0]).startswith("\\\\")

    def temp_path(interp, args):
        return interp.host.environment()["TEMP"] + "\\"

    return {"getfilename": file_name, "getfilenamewithoutextension": without_extension, "getextension": extension,
            "getdirectoryname": directory_name, "combine": combine, "changeextension": change_extension,
            "ispathrooted": rooted, "gettemppath": temp_path}


def _file_methods():
    def exists(interp, args):
        _arity("IO.File", "Exists", args, 1)
        return interp.host.is_file(to_str(args[0]))

    def read_all_text(interp, args):
        _arity("IO.File", "ReadAllText", args, 1, 2)
        return interp.fs.read_text(to_str(args[0]), ".NET")

    def read_all_lines(interp, args):
        _arity("IO.File", "ReadAllLines", args, 1, 2)
        return interp.fs.read_text(to_str(args[0]), ".NET").replace("\r\n", "\n").split("\n")

    def write_all_text(interp, args):
        _arity("IO.File", "WriteAllText", args, 2, 3)
        interp.fs.write_bytes(to_str(args[0]), to_str(args[1]).encode("utf-8"), ".NET")

    return {"exists": exists, "readalltext": read_all_text, "readalllines": read_all_lines,
            "writealltext": write_all_text}


def _string_methods():
    def is_null_or_empty(interp, args):
        _arity("string", "IsNullOrEmpty", args, 1)
        return args[0] is None or to_str(args[0]) == ""

    def is_null_or_white_space(interp, args):
        _arity("string", "IsNullOrWhiteSpace", args, 1)
        return args[0] is None or to_str(args[0]).strip() == ""

    def join(interp, args):
        if len(args) < 2:
            _arity("string", "Join", args, 2)
        items = args[1] if len(args) == 2 and isinstance(args[1], list) else args[1:]
        return to_str(args[0]).join(to_str(item) for item in items)

    def fmt(interp, args):
        if not args:
            _arity("string", "Format", args, 1)
        rest = args[1] if len(args) == 2 and isinstance(args[1], list) else args[1:]
        return format_operator(to_str(args[0]), rest)

    def concat(interp, args):
        return "".join(to_str(arg) for arg in args)

    def equals(interp, args):
        _arity("string", "Equals", args, 2, 3)
        return to_str(args[0]) == to_str(args[1])

    return {"isnullorempty": is_null_or_empty, "isnullorwhitespace": is_null_or_white_space, "join": join,
            "format": fmt, "concat": concat, "equals": equals}


def _math_round(interp, args):
    _arity("Math", "Round", args, 1, 2, 3)
    number = to_number(args[0])
    digits = to_int(args[1]) if len(args) >= 2 and not isinstance(args[1], PSEnum) and not isinstance(args[1], str) \
        else 0
    away = any("awayfromzero" in to_str(arg).lower() for arg in args[1:])
    if away:
        import decimal
        quantum = decimal.Decimal(1).scaleb(-digits)
        result = float(decimal.Decimal(repr(float(number))).quantize(quantum, rounding=decimal.ROUND_HALF_UP))
    else:
        result = round(float(number), digits)
    if isinstance(number, int) and digits >= 0:
        return number
    return result


def _math_methods():
    def unary(fn):
        def call(interp, args):
            _arity("Math", "", args, 1)
            number = to_number(args[0])
            result = fn(number)
            return result
        return call

    def binary(fn):
        def call(interp, args):
            _arity("Math", "", args, 2)
            return fn(to_number(args[0]), to_number(args[1]))
        return call

    return {"round": _math_round, "floor": unary(lambda x: float(math.floor(x))),
            "ceiling": unary(lambda x: float(math.ceil(x))), "abs": unary(abs),
            "truncate": unary(lambda x: float(math.trunc(x))), "sqrt": unary(lambda x: math.sqrt(x)),
            "max": binary(max), "min": binary(min), "pow": binary(lambda x, y: float(x) ** float(y))}


def _timespan_methods():
    def factory(unit):
        def call(interp, args):
            _arity("TimeSpan", "From" + unit, args, 1)
            return datetime.timedelta(**{unit.lower(): to_float(args[0])})
        return call
    units = ("Seconds", "Minutes", "Hours", "Days", "Milliseconds")
    methods = {f"from{unit.lower()}": factory(unit) for unit in units}
    methods["parse"] = lambda interp, args: _to_timespan(args[0])
    return methods


def _environment_exit(interp, args):
    _arity("Environment", "Exit", args, 1)
    raise ExitSignal(to_int(args[0]))


def _regex_methods():
    def escape(interp, args):
        _arity("regex", "Escape", args, 1)
        special = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f", " ": "\\ "}
        return re.sub(r"([\\*+?|{\[()^$.#\s])", lambda m: special.get(m.group(1), "\\" + m.group(1)),
                      to_str(args[0]))

    def is_match(interp, args):
        _arity("regex", "IsMatch", args, 2)
        return net_regex(to_str(args[1]), True).search(to_str(args[0])) is not None

    def replace(interp, args):
        _arity("regex", "Replace", args, 3)
        return net_regex(to_str(args[1]), True).sub(net_replacement(to_str(args[2])), to_str(args[0]))

    def split(interp, args):
        _arity("regex", "Split", args, 2)
        return net_regex(to_str(args[1]), True).split(to_str(args[0]))

    return {"escape": escape, "ismatch": is_match, "replace": replace, "split": split}


def _convert_methods():
    def to_base64(interp, args):
        _arity("Convert", "ToBase64String", args, 1)
        return base64.b64encode(bytes(to_int(b) for b in (args[0] or []))).decode("ascii")

    def from_base64(interp, args):
        _arity("Convert", "FromBase64String", args, 1)
        try:
            return list(base64.b64decode(to_str(args[0]), validate=True))
        except ValueError:
            raise ps_error('Exception calling "FromBase64String" with "1" argument(s): "The input is not a valid '
                           'Base-64 string as it contains a non-base 64 character, more than two padding '
                           'characters, or an illegal character among the padding characters. "',
                           "System.FormatException")

    return {"tobase64string": to_base64, "frombase64string": from_base64,
            "toint32": lambda interp, args: to_int(args[0]), "tostring": lambda interp, args: to_str(args[0])}


def _console_setter(name):
    def setter(interp, value):
        interp.console_settings[name] = value
    return setter


def _console_write(newline):
    def call(interp, args):
        text = to_str(args[0]) if args else ""
        interp.console_write("stdout", text + ("\r\n" if newline else ""))
    return call


def _enum_statics(type_name, table):
    return {name.lower(): (lambda interp, n=name, v=value: PSEnum(type_name, n, v)) for name, value in table.items()}


def _principal_cast(interp):
    def cast(value):
        if isinstance(value, WindowsIdentity):
            return WindowsPrincipal(interp, value)
        raise cast_error(value, "System.Security.Principal.WindowsPrincipal", "Only a WindowsIdentity converts.")
    return cast


def _int_statics(bits):
    return {"maxvalue": lambda interp: 2**bits - 1, "minvalue": lambda interp: -2**bits}


def build_types(interp):
    """The type table for one run (some casts and statics need the run's host and streams)."""
    status_type = "System.ServiceProcess.ServiceControllerStatus"
    mode_type = "System.ServiceProcess.ServiceStartMode"
    role_type = "System.Security.Principal.WindowsBuiltInRole"
    is_int = lambda v: isinstance(v, int) and not isinstance(v, bool)  # noqa: E731
    now = lambda i: i.host.now  # noqa: E731
    types = [
        (["int", "int32", "system.int32"], TypeDef("System.Int32", lambda v: to_int(v), is_int, _int_statics(31),
                                                   {"parse": lambda i, a: to_int(to_str(a[0]))})),
        (["long", "int64", "system.int64"], TypeDef("System.Int64", lambda v: to_int(v, "System.Int64"), is_int,
                                                    _int_statics(63))),
        (["double", "system.double", "float", "single", "system.single", "decimal", "system.decimal"],
         TypeDef("System.Double", to_float, lambda v: isinstance(v, float))),
        (["string", "system.string"], TypeDef("System.String", _to_string, lambda v: isinstance(v, str),
                                              {"empty": lambda i: ""}, _string_methods())),
        (["bool", "boolean", "system.boolean", "switch", "system.management.automation.switchparameter"],
         TypeDef("System.Boolean", to_bool, lambda v: isinstance(v, bool))),
        (["char", "system.char"], TypeDef("System.Char", _to_char, lambda v: isinstance(v, str) and len(v) == 1)),
        (["object", "system.object", "psobject", "system.management.automation.psobject"],
         TypeDef("System.Object", lambda v: v, lambda v: v is not None)),
        (["array", "system.array", "object[]", "system.object[]"],
         TypeDef("System.Object[]", _to_array, lambda v: isinstance(v, list))),
        (["string[]", "system.string[]"], TypeDef("System.String[]", _typed_array(to_str), lambda v: False)),
        (["int[]", "int32[]", "system.int32[]"], TypeDef("System.Int32[]", _typed_array(to_int), lambda v: False)),
        (["hashtable", "system.collections.hashtable"],
         TypeDef("System.Collections.Hashtable", _to_hashtable, lambda v: isinstance(v, PSHashtable))),
        (["pscustomobject", "system.management.automation.pscustomobject"],
         TypeDef("System.Management.Automation.PSCustomObject", _to_pscustomobject,
                 lambda v: isinstance(v, PSObject))),
        (["datetime", "system.datetime"],
         TypeDef("System.DateTime", _to_datetime, lambda v: isinstance(v, datetime.datetime),
                 {"now": now, "today": lambda i: i.host.now.replace(hour=0, minute=0, second=0, microsecond=0),
                  "utcnow": now, "minvalue": lambda i: datetime.datetime(1, 1, 1)},
                 {"parse": lambda i, a: _to_datetime(a[0])})),
        (["timespan", "system.timespan"],
         TypeDef("System.TimeSpan", _to_timespan, lambda v: isinstance(v, datetime.timedelta),
                 {"zero": lambda i: datetime.timedelta(0)}, _timespan_methods())),
        (["version", "system.version"], TypeDef("System.Version", _to_version, lambda v: isinstance(v, Version))),
        (["scriptblock", "system.management.automation.scriptblock"],
         TypeDef("System.Management.Automation.ScriptBlock", None, lambda v: isinstance(v, ScriptBlock), {},
                 {"create": lambda i, a: i.create_scriptblock(to_str(a[0]))})),
        (["void", "system.void"], TypeDef("System.Void", lambda v: None, lambda v: False)),
        (["math", "system.math"], TypeDef("System.Math", None, None, {"pi": lambda i: math.pi}, _math_methods())),
        (["io.path", "system.io.path"], TypeDef("System.IO.Path", None, None, {
            "directoryseparatorchar": lambda i: "\\"}, _path_methods())),
        (["io.file", "system.io.file"], TypeDef("System.IO.File", None, None, {}, _file_methods())),
        (["io.directory", "system.io.directory"], TypeDef("System.IO.Directory", None, None, {}, {
            "exists": lambda i, a: i.host.is_dir(to_str(a[0]))})),
        (["console", "system.console"], TypeDef("System.Console", None, None, {
            "in": lambda i: TextReader(i), "out": lambda i: TextWriter(i, "stdout"),
            "error": lambda i: TextWriter(i, "stderr"),
            "inputencoding": lambda i: i.console_settings.get("inputencoding", UTF8Encoding()),
            "outputencoding": lambda i: i.console_settings.get("outputencoding", UTF8Encoding())},
            {"writeline": _console_write(True), "write": _console_write(False)},
            {"inputencoding": _console_setter("inputencoding"), "outputencoding": _console_setter("outputencoding")})),
        (["environment", "system.environment"], TypeDef("System.Environment", None, None, {
            "machinename": lambda i: i.host.computer_name, "newline": lambda i: "\r\n",
            "username": lambda i: i.host.user, "userdomainname": lambda i: i.host.domain,
            "processorcount": lambda i: int(i.host.environment()["NUMBER_OF_PROCESSORS"]),
            "is64bitoperatingsystem": lambda i: True},
            {"exit": _environment_exit,
             "getenvironmentvariable": lambda i, a: i.host.environment().get(to_str(a[0]))})),
        (["regex", "system.text.regularexpressions.regex"],
         TypeDef("System.Text.RegularExpressions.Regex", None, None, {}, _regex_methods())),
        (["convert", "system.convert"], TypeDef("System.Convert", None, None, {}, _convert_methods())),
        (["text.encoding", "system.text.encoding"], TypeDef("System.Text.Encoding", None, None, {
            "utf8": lambda i: UTF8Encoding(True)})),
        (["text.utf8encoding", "system.text.utf8encoding"],
         TypeDef("System.Text.UTF8Encoding", None, lambda v: isinstance(v, UTF8Encoding))),
        (["security.principal.windowsidentity", "system.security.principal.windowsidentity"],
         TypeDef("System.Security.Principal.WindowsIdentity", None, lambda v: isinstance(v, WindowsIdentity), {},
                 {"getcurrent": lambda i, a: WindowsIdentity(i)})),
        (["security.principal.windowsprincipal", "system.security.principal.windowsprincipal"],
         TypeDef("System.Security.Principal.WindowsPrincipal", _principal_cast(interp),
                 lambda v: isinstance(v, WindowsPrincipal))),
        (["security.principal.windowsbuiltinrole", "system.security.principal.windowsbuiltinrole"],
         TypeDef(role_type, _enum_cast(role_type, BUILTIN_ROLES), None, _enum_statics(role_type, BUILTIN_ROLES))),
        (["serviceprocess.servicecontrollerstatus", "system.serviceprocess.servicecontrollerstatus"],
         TypeDef(status_type, _enum_cast(status_type, SERVICE_STATUS), None,
                 _enum_statics(status_type, SERVICE_STATUS))),
        (["serviceprocess.servicestartmode", "system.serviceprocess.servicestartmode"],
         TypeDef(mode_type, _enum_cast(mode_type, START_MODE), None, _enum_statics(mode_type, START_MODE))),
        (["io.fileattributes", "system.io.fileattributes"],
         TypeDef("System.IO.FileAttributes", _enum_cast("System.IO.FileAttributes", FILE_ATTRIBUTES), None,
                 _enum_statics("System.IO.FileAttributes", FILE_ATTRIBUTES))),
        (["net.dns", "system.net.dns"], TypeDef("System.Net.Dns", None, None, {}, {
            "gethostname": lambda i, a: i.host.computer_name})),
    ]
    table = {}
    for names, typedef in types:
        for name in names:
            table[name] = typedef
    return table


def is_instance(typedef, value):
    if typedef.check is None:
        raise Unsupported(f"type test against [{typedef.full_name}]")
    if isinstance(value, PSEnum):
        return value.type_name == typedef.full_name
    if isinstance(value, DotNetObject) and typedef.check(value) is False and typedef.full_name == value.type_name:
        return True
    return typedef.check(value)
