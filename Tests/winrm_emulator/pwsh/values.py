"""The value model: how PowerShell values are held in Python, and PowerShell's conversions.

$null is None, [bool] bool, [int]/[long] int, [double] float, [string] str, arrays list, [datetime]
datetime.datetime (naive, the host's local time), [timespan] datetime.timedelta. Hashtables,
[PSCustomObject]s, enums, script blocks and the fake .NET objects have classes here.
"""
import datetime
import re

from .errors import PSError, Unsupported


class CIDict:
    """An ordered dictionary whose string keys compare case-insensitively, as PowerShell's do."""

    def __init__(self, items=()):
        self._data = {}
        for key, value in items:
            self[key] = value

    @staticmethod
    def _norm(key):
        return key.lower() if isinstance(key, str) else key

    def __setitem__(self, key, value):
        norm = self._norm(key)
        if norm in self._data:
            key = self._data[norm][0]
        self._data[norm] = (key, value)

    def __getitem__(self, key):
        return self._data[self._norm(key)][1]

    def __contains__(self, key):
        return self._norm(key) in self._data

    def __delitem__(self, key):
        del self._data[self._norm(key)]

    def __len__(self):
        return len(self._data)

    def get(self, key, default=None):
        entry = self._data.get(self._norm(key))
        return default if entry is None else entry[1]

    def pop(self, key, default=None):
        entry = self._data.pop(self._norm(key), None)
        return default if entry is None else entry[1]

    def keys(self):
        return [key for key, _ in self._data.values()]

    def values(self):
        return [value for _, value in self._data.values()]

    def items(self):
        return list(self._data.values())


class PSHashtable(CIDict):
    type_name = "System.Collections.Hashtable"

    def __init__(self, items=(), ordered=False):
        super().__init__(items)
        self.ordered = ordered
        if ordered:
            self.type_name = "System.Collections.Specialized.OrderedDictionary"


class PSObject:
    """A [PSCustomObject]: ordered note properties."""

    type_name = "System.Management.Automation.PSCustomObject"

    def __init__(self, items=()):
        self.props = CIDict(items)


class PSEnum:
    """A .NET enum value; compares with strings by name, with numbers by value."""

    def __init__(self, type_name, name, value):
        self.type_name = type_name
        self.name = name
        self.value = value

    def __repr__(self):
        return f"PSEnum({self.type_name}.{self.name})"


class ScriptBlock:
    type_name = "System.Management.Automation.ScriptBlock"

    def __init__(self, node, source, params=None, body=None):
        self.node = node
        self.source = source
        self.params = params
        self.body = body


class DotNetObject:
    """A fake .NET object. Subclasses list their properties in `properties()` and answer methods in
    `call()`; anything else is outside the emulated subset."""

    type_name = "System.Object"

    def properties(self):
        return CIDict()

    def get(self, name):
        props = self.properties()
        if name in props:
            return props[name]
        raise Unsupported(f"property '{name}' of [{self.type_name}]")

    def set(self, name, value):
        raise Unsupported(f"setting property '{name}' of [{self.type_name}]")

    def call(self, name, args):
        raise Unsupported(f"method '{name}' of [{self.type_name}]")

    def to_string(self):
        return self.type_name


class TypeInfo(DotNetObject):
    """What GetType() answers."""

    type_name = "System.RuntimeType"

    def __init__(self, full_name):
        self.full_name = full_name

    def properties(self):
        return CIDict([("FullName", self.full_name), ("Name", self.full_name.rsplit(".", 1)[-1])])

    def to_string(self):
        return self.full_name


class NetException(DotNetObject):
    def __init__(self, type_name, message, inner=None):
        self.type_name = type_name
        self.message = message
        self.inner = inner

    def properties(self):
        return CIDict([("Message", self.message), ("InnerException", self.inner)])

    def call(self, name, args):
        if name.lower() == "gettype":
            return TypeInfo(self.type_name)
        return super().call(name, args)

    def to_string(self):
        return f"{self.type_name}: {self.message}"


class ErrorRecord(DotNetObject):
    type_name = "System.Management.Automation.ErrorRecord"

    def __init__(self, exception, category="NotSpecified", error_id=None, target=None, command=None):
        self.exception = exception
        self.category = category
        self.error_id = error_id or exception.type_name.rsplit(".", 1)[-1]
        self.target = target
        self.command = command
        # throw ends the script; a failing cmdlet or method only its statement (unless 'Stop' or try).
        self.script_terminating = False

    @property
    def message(self):
        return self.exception.message

    def properties(self):
        info = PSObject([("Category", self.category), ("Reason", self.exception.type_name.rsplit(".", 1)[-1])])
        return CIDict([("Exception", self.exception), ("CategoryInfo", info),
                       ("FullyQualifiedErrorId", self.error_id), ("TargetObject", self.target)])

    def display(self):
        """The first line powershell.exe shows for the record."""
        return f"{self.command} : {self.message}" if self.command else self.message

    def to_string(self):
        return self.message


def ps_error(message, type_name="System.Management.Automation.RuntimeException", category="NotSpecified",
             error_id=None, target=None, command=None):
    return PSError(ErrorRecord(NetException(type_name, message), category, error_id, target, command))


# --- type names ---------------------------------------------------------------------------------

def type_name_of(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "System.Boolean"
    if isinstance(value, int):
        return "System.Int32" if -2**31 <= value < 2**31 else "System.Int64"
    if isinstance(value, float):
        return "System.Double"
    if isinstance(value, str):
        return "System.String"
    if isinstance(value, list):
        return "System.Object[]"
    if isinstance(value, datetime.datetime):
        return "System.DateTime"
    if isinstance(value, datetime.timedelta):
        return "System.TimeSpan"
    return getattr(value, "type_name", "System.Object")


# --- conversions --------------------------------------------------------------------------------

def to_bool(value):
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        return value != ""
    if isinstance(value, list):
        if not value:
            return False
        if len(value) == 1:
            return to_bool(value[0])
        return True
    if isinstance(value, PSEnum):
        return value.value != 0
    return True


def format_double(value):
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = format(value, ".15g")
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = exponent[0]
        digits = exponent[1:].lstrip("0").rjust(2, "0")
        text = f"{mantissa}E{sign}{digits}"
    return text


def format_timespan(value):
    ticks = (value.days * 86400 + value.seconds) * 10**7 + value.microseconds * 10
    sign = "-" if ticks < 0 else ""
    ticks = abs(ticks)
    total_seconds, fraction = divmod(ticks, 10**7)
    days, rest = divmod(total_seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}{days}." if days else sign
    text += f"{hours:02}:{minutes:02}:{seconds:02}"
    if fraction:
        text += f".{fraction:07}"
    return text


def to_str(value, separator=" "):
    """PowerShell's conversion to [string] (invariant culture, as in "$x" and [string]$x)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_double(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return separator.join(to_str(item) for item in value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%m/%d/%Y %H:%M:%S")
    if isinstance(value, datetime.timedelta):
        return format_timespan(value)
    if isinstance(value, PSEnum):
        return value.name
    if isinstance(value, PSObject):
        return "@{" + "; ".join(f"{k}={to_str(v)}" for k, v in value.props.items()) + "}"
    if isinstance(value, PSHashtable):
        return value.type_name
    if isinstance(value, ScriptBlock):
        return value.source
    if isinstance(value, DotNetObject):
        return value.to_string()
    raise Unsupported(f"string conversion of {type(value).__name__}")


_INT_RE = re.compile(r"^[+-]?\d+$")
_HEX_RE = re.compile(r"^[+-]?0x[0-9a-f]+$", re.IGNORECASE)
_FLOAT_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", re.IGNORECASE)


def cast_error(value, type_name, detail):
    shown = to_str(value) if not isinstance(value, (list, PSObject, PSHashtable, DotNetObject)) else type_name_of(value)
    return ps_error(f'Cannot convert value "{shown}" to type "{type_name}". Error: "{detail}"',
                    "System.Management.Automation.PSInvalidCastException", "InvalidArgument",
                    "InvalidCastFromStringToInteger")


def to_number(value, type_name="System.Double"):
    """A number (int when integral text or an int, else float); raises a PowerShell cast error."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, PSEnum):
        return value.value
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0
        if _INT_RE.match(text):
            return int(text)
        if _HEX_RE.match(text):
            return int(text, 16)
        if _FLOAT_RE.match(text):
            return float(text)
        raise cast_error(value, type_name, "Input string was not in a correct format.")
    if isinstance(value, list) and len(value) == 1:
        return to_number(value[0], type_name)
    raise cast_error(value, type_name, f'Cannot convert the "{to_str(value)}" value of type '
                                       f'"{type_name_of(value)}" to type "{type_name}".')


def round_half_even(number):
    return int(round(number))


def to_int(value, type_name="System.Int32"):
    number = to_number(value, type_name)
    if isinstance(number, float):
        if number != number or number in (float("inf"), float("-inf")):
            raise cast_error(value, type_name, "Value was either too large or too small for an Int32.")
        number = round_half_even(number)
    bits = 31 if type_name == "System.Int32" else 63
    if not -2**bits <= number < 2**bits:
        raise cast_error(value, type_name, f"Value was either too large or too small for an {type_name[7:]}.")
    return number


def to_float(value):
    return float(to_number(value))


def enumerate_value(value):
    """What writing a value to the pipeline sends: the items of an array, else the value."""
    if isinstance(value, list):
        return value
    return [value]


def collapse(items):
    """Pipeline output held in a variable: nothing is $null, one item itself, more an array."""
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    return list(items)
