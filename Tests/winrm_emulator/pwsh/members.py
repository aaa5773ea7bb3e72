"""Properties and methods of values: strings, arrays, hashtables, [PSCustomObject]s, dates, time
spans, numbers, enums, and the fake .NET objects (which answer for themselves)."""
import datetime

from .errors import Unsupported
from .formatting import format_date, format_with
from .values import (DotNetObject, PSEnum, PSHashtable, PSObject, ScriptBlock, TypeInfo, collapse, ps_error,
                     to_int, to_number, to_str, type_name_of)

TICKS_PER_SECOND = 10**7


def timespan_member(value, name):
    seconds = value.total_seconds()
    whole = int(seconds) if seconds >= 0 else -int(-seconds)
    table = {
        "days": int(seconds / 86400), "hours": int(whole / 3600) % 24 if whole >= 0 else -((-whole // 3600) % 24),
        "minutes": (abs(whole) // 60 % 60) * (1 if whole >= 0 else -1),
        "seconds": (abs(whole) % 60) * (1 if whole >= 0 else -1),
        "milliseconds": int(round((abs(seconds) - abs(whole)) * 1000)) * (1 if seconds >= 0 else -1),
        "ticks": int(round(seconds * TICKS_PER_SECOND)), "totaldays": seconds / 86400, "totalhours": seconds / 3600,
        "totalminutes": seconds / 60, "totalseconds": seconds, "totalmilliseconds": seconds * 1000,
    }
    if name.lower() in table:
        return table[name.lower()]
    raise Unsupported(f"property '{name}' of [System.TimeSpan]")


DAY_OF_WEEK = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def date_member(value, name):
    lower = name.lower()
    simple = {"year": value.year, "month": value.month, "day": value.day, "hour": value.hour,
              "minute": value.minute, "second": value.second, "millisecond": value.microsecond // 1000,
              "dayofyear": value.timetuple().tm_yday,
              "date": value.replace(hour=0, minute=0, second=0, microsecond=0),
              "timeofday": value - value.replace(hour=0, minute=0, second=0, microsecond=0),
              "ticks": int((value - datetime.datetime(1, 1, 1)).total_seconds() * TICKS_PER_SECOND),
              "kind": PSEnum("System.DateTimeKind", "Local", 2)}
    if lower == "dayofweek":
        index = (value.weekday() + 1) % 7
        return PSEnum("System.DayOfWeek", DAY_OF_WEEK[value.weekday()], index)
    if lower in simple:
        return simple[lower]
    raise Unsupported(f"property '{name}' of [System.DateTime]")


def get_member(value, name):
    """$value.Name (non-strict mode: a missing property of a data object is $null)."""
    lower = name.lower()
    if value is None:
        return 0 if lower in ("count", "length") else None
    if isinstance(value, list):
        if lower in ("count", "length", "longlength"):
            return len(value)
        if lower == "rank":
            return 1
        return collapse([item for item in (get_member(item, name) for item in value) if item is not None])
    if isinstance(value, PSHashtable):
        if name in value:
            return value[name]
        if lower == "count":
            return len(value)
        if lower == "keys":
            return value.keys()
        if lower == "values":
            return value.values()
        return None
    if isinstance(value, PSObject):
        # Windows PowerShell 5.1 has no intrinsic Count/Length on a [PSCustomObject] (PowerShell 6.1 added it).
        return value.props.get(name)
    if isinstance(value, str):
        if lower == "length":
            return len(value)
    elif isinstance(value, datetime.datetime):
        return date_member(value, name)
    elif isinstance(value, datetime.timedelta):
        return timespan_member(value, name)
    elif isinstance(value, PSEnum):
        if lower == "value__":
            return value.value
    elif isinstance(value, DotNetObject):
        if lower in ("count", "length") and name not in value.properties():
            return 1
        return value.get(name)
    if lower in ("count", "length"):
        return 1
    if isinstance(value, (str, int, float, bool, PSEnum, ScriptBlock)):
        return None
    raise Unsupported(f"property '{name}' of [{type_name_of(value)}]")


def set_member(value, name, new):
    if isinstance(value, PSHashtable):
        value[name] = new
        return
    if isinstance(value, PSObject):
        if name not in value.props:
            raise ps_error(f"The property '{name}' cannot be found on this object. Verify that the property exists "
                           f"and can be set.", category="InvalidOperation", error_id="PropertyAssignmentException")
        value.props[name] = new
        return
    if isinstance(value, DotNetObject):
        value.set(name, new)
        return
    if value is None:
        raise ps_error(f"The property '{name}' cannot be found on this object. Verify that the property exists and "
                       f"can be set.", category="InvalidOperation", error_id="PropertyNotFound")
    raise Unsupported(f"setting property '{name}' of [{type_name_of(value)}]")


def _arity(name, args, *allowed):
    if len(args) not in allowed:
        raise ps_error(f'Cannot find an overload for "{name}" and the argument count: "{len(args)}".',
                       "System.Management.Automation.MethodException", "NotSpecified",
                       "MethodCountCouldNotFindBest")


def _chars(args):
    out = ""
    for arg in args:
        out += "".join(to_str(item) for item in arg) if isinstance(arg, list) else to_str(arg)
    return out


def string_method(text, name, args):
    lower = name.lower()
    if lower in ("trim", "trimstart", "trimend"):
        chars = _chars(args) if args else None
        return {"trim": text.strip, "trimstart": text.lstrip, "trimend": text.rstrip}[lower](chars)
    if lower in ("toupper", "toupperinvariant"):
        return text.upper()
    if lower in ("tolower", "tolowerinvariant"):
        return text.lower()
    if lower in ("startswith", "endswith", "contains", "indexof", "lastindexof", "equals"):
        _arity(name, args, 1, 2)
        other = to_str(args[0])
        ignore_case = len(args) == 2 and "ignorecase" in to_str(args[1]).lower()
        a, b = (text.lower(), other.lower()) if ignore_case else (text, other)
        if lower == "startswith":
            return a.startswith(b)
        if lower == "endswith":
            return a.endswith(b)
        if lower == "contains":
            return b in a
        if lower == "equals":
            return a == b
        return a.find(b) if lower == "indexof" else a.rfind(b)
    if lower == "substring":
        _arity(name, args, 1, 2)
        start = to_int(args[0])
        length = to_int(args[1]) if len(args) == 2 else len(text) - start
        if start < 0 or length < 0 or start + length > len(text):
            raise ps_error(f'Exception calling "Substring" with "{len(args)}" argument(s): "Index and length must '
                           f'refer to a location within the string."', "System.ArgumentOutOfRangeException")
        return text[start:start + length]
    if lower == "replace":
        _arity(name, args, 2)
        return text.replace(to_str(args[0]), to_str(args[1]))
    if lower == "split":
        if not args:
            return text.split()
        separators = _chars(args[:1])
        parts = [""]
        for char in text:
            if char in separators:
                parts.append("")
            else:
                parts[-1] += char
        if len(args) > 1 and "removeemptyentries" in to_str(args[-1]).lower():
            parts = [part for part in parts if part]
        return parts
    if lower in ("padleft", "padright"):
        _arity(name, args, 1, 2)
        width = to_int(args[0])
        fill = to_str(args[1]) if len(args) == 2 else " "
        return text.rjust(width, fill) if lower == "padleft" else text.ljust(width, fill)
    if lower == "tostring":
        return text
    if lower == "tochararray":
        return list(text)
    if lower == "insert":
        _arity(name, args, 2)
        index = to_int(args[0])
        return text[:index] + to_str(args[1]) + text[index:]
    if lower == "remove":
        _arity(name, args, 1, 2)
        start = to_int(args[0])
        end = start + to_int(args[1]) if len(args) == 2 else len(text)
        return text[:start] + text[end:]
    raise Unsupported(f"method '{name}' of [System.String]")


def date_method(value, name, args):
    lower = name.lower()
    units = {"addseconds": "seconds", "addminutes": "minutes", "addhours": "hours", "adddays": "days",
             "addmilliseconds": "milliseconds"}
    if lower in units:
        _arity(name, args, 1)
        return value + datetime.timedelta(**{units[lower]: float(to_number(args[0]))})
    if lower == "add":
        _arity(name, args, 1)
        return value + args[0]
    if lower == "subtract":
        _arity(name, args, 1)
        return value - args[0]
    if lower == "tostring":
        return format_date(value, to_str(args[0])) if args else format_date(value, "G")
    if lower in ("touniversaltime", "tolocaltime"):
        return value
    raise Unsupported(f"method '{name}' of [System.DateTime]")


def hashtable_method(table, name, args):
    lower = name.lower()
    if lower == "containskey" or lower == "contains":
        _arity(name, args, 1)
        return args[0] in table
    if lower == "add":
        _arity(name, args, 2)
        if args[0] in table:
            raise ps_error(f'Exception calling "Add" with "2" argument(s): "Item has already been added. Key in '
                           f"dictionary: '{to_str(args[0])}'  Key being added: '{to_str(args[0])}'\"",
                           "System.ArgumentException")
        table[args[0]] = args[1]
        return None
    if lower == "remove":
        _arity(name, args, 1)
        if args[0] in table:
            del table[args[0]]
        return None
    if lower == "clone":
        return PSHashtable(table.items(), table.ordered)
    if lower == "getenumerator":
        return [PSObject([("Name", key), ("Key", key), ("Value", value)]) for key, value in table.items()]
    raise Unsupported(f"method '{name}' of [{table.type_name}]")


def call_method(value, name, args):
    """$value.Name(args)."""
    lower = name.lower()
    if value is None:
        raise ps_error("You cannot call a method on a null-valued expression.", category="InvalidOperation",
                       error_id="InvokeMethodOnNull")
    if lower == "gettype" and not args and not isinstance(value, DotNetObject):
        return TypeInfo(type_name_of(value))
    if isinstance(value, str):
        return string_method(value, name, args)
    if isinstance(value, datetime.datetime):
        return date_method(value, name, args)
    if isinstance(value, datetime.timedelta):
        if lower == "tostring":
            return format_with(value, to_str(args[0]) if args else None)
        raise Unsupported(f"method '{name}' of [System.TimeSpan]")
    if isinstance(value, bool):
        if lower == "tostring":
            return to_str(value)
    elif isinstance(value, (int, float)):
        if lower == "tostring":
            return format_with(value, to_str(args[0]) if args else None)
        if lower == "equals":
            return value == to_number(args[0])
    elif isinstance(value, PSEnum):
        if lower == "tostring":
            return value.name
    elif isinstance(value, list):
        if lower == "contains":
            from .operators import ps_equals
            return any(ps_equals(item, args[0], True) for item in value)
        if lower == "indexof":
            from .operators import ps_equals
            return next((i for i, item in enumerate(value) if ps_equals(item, args[0], True)), -1)
        if lower == "add":
            raise ps_error('Exception calling "Add" with "1" argument(s): "Collection was of a fixed size."',
                           "System.NotSupportedException")
    elif isinstance(value, PSHashtable):
        return hashtable_method(value, name, args)
    elif isinstance(value, PSObject):
        if lower == "tostring":
            return to_str(value)
    elif isinstance(value, DotNetObject):
        if lower == "tostring" and not args:
            return value.to_string()
        return value.call(name, args)
    raise Unsupported(f"method '{name}' of [{type_name_of(value)}]")
