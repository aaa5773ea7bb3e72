""".NET format strings (numbers, dates, time spans), the -f operator, and how objects look on the
console (en-US culture, as a typical Windows Server)."""
import datetime
import decimal
import re

from .errors import Unsupported
from .values import (CIDict, DotNetObject, PSEnum, PSHashtable, PSObject, format_double, format_timespan,
                     ps_error, to_str)

DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


# --- numbers --------------------------------------------------------------------------------------

def _round_away(value, digits):
    quantum = decimal.Decimal(1).scaleb(-digits)
    return decimal.Decimal(repr(value) if isinstance(value, float) else value).quantize(
        quantum, rounding=decimal.ROUND_HALF_UP)


def _group(integer_text):
    sign = "-" if integer_text.startswith("-") else ""
    digits = integer_text.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + ",".join(groups)


def _fixed(value, digits, grouped):
    text = format(_round_away(value, digits), "f")
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    whole, _, fraction = text.partition(".")
    if grouped:
        whole = _group(whole)
    return whole + ("." + fraction if digits > 0 else "")


def format_number(value, fmt):
    if isinstance(value, bool):
        return to_str(value)
    match = re.fullmatch(r"([NnFfDdPpXxEeGgCc])(\d{0,2})", fmt)
    if match:
        kind, digits = match.group(1), match.group(2)
        precision = int(digits) if digits else None
        upper = kind.upper()
        if upper == "N":
            return _fixed(value, 2 if precision is None else precision, True)
        if upper == "F":
            return _fixed(value, 2 if precision is None else precision, False)
        if upper == "C":
            text = _fixed(abs(value), 2 if precision is None else precision, True)
            return f"(${text})" if value < 0 else f"${text}"
        if upper == "P":
            return _fixed(value * 100, 2 if precision is None else precision, True) + " %"
        if upper == "D":
            if not isinstance(value, int):
                raise ps_error("Format specifier was invalid.", "System.FormatException")
            text = str(abs(value)).rjust(precision or 0, "0")
            return ("-" if value < 0 else "") + text
        if upper == "X":
            if not isinstance(value, int):
                raise ps_error("Format specifier was invalid.", "System.FormatException")
            text = format(value & 0xFFFFFFFF if value < 0 else value, "x" if kind == "x" else "X")
            return text.rjust(precision or 0, "0")
        if upper == "E":
            text = format(value, f".{6 if precision is None else precision}e")
            mantissa, exponent = text.split("e")
            return f"{mantissa}{'e' if kind == 'e' else 'E'}{exponent[0]}{exponent[1:].rjust(3, '0')}"
        if upper == "G":
            return format_double(float(value)) if isinstance(value, float) else str(value)
    return _custom_number(value, fmt)


def _custom_number(value, fmt):
    if not re.fullmatch(r"[0#,.%]+", fmt):
        raise Unsupported(f"number format '{fmt}'")
    percent = "%" in fmt
    core = fmt.replace("%", "")
    integer_part, _, fraction_part = core.partition(".")
    grouped = "," in integer_part
    number = value * 100 if percent else value
    required = fraction_part.count("0")
    optional = fraction_part.count("#")
    text = _fixed(number, required + optional, grouped)
    if optional:
        whole, _, fraction = text.partition(".")
        fraction = fraction.rstrip("0")
        if len(fraction) < required:
            fraction = fraction.ljust(required, "0")
        text = whole + ("." + fraction if fraction else "")
    min_int = integer_part.replace(",", "").count("0")
    whole, dot, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-").replace(",", "")
    if digits == "0" and min_int == 0:
        digits = ""
    digits = digits.rjust(min_int, "0")
    whole = sign + (_group(digits) if grouped and digits else digits)
    return whole + dot + fraction + ("%" if percent else "")


# --- dates ----------------------------------------------------------------------------------------

STANDARD_DATE_FORMATS = {
    "d": "M/d/yyyy", "D": "dddd, MMMM d, yyyy", "t": "h:mm tt", "T": "h:mm:ss tt",
    "f": "dddd, MMMM d, yyyy h:mm tt", "F": "dddd, MMMM d, yyyy h:mm:ss tt", "g": "M/d/yyyy h:mm tt",
    "G": "M/d/yyyy h:mm:ss tt", "s": "yyyy'-'MM'-'dd'T'HH':'mm':'ss", "u": "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
    "o": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK", "O": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
    "M": "MMMM d", "m": "MMMM d", "Y": "MMMM yyyy", "y": "MMMM yyyy",
}

_DATE_TOKEN = re.compile(r"dddd|ddd|dd|d|MMMM|MMM|MM|M|yyyy|yyy|yy|y|HH|H|hh|h|mm|m|ss|s|f{1,7}|F{1,7}|tt|t|"
                         r"zzz|zz|z|K|'[^']*'|\"[^\"]*\"|\\.|.", re.DOTALL)


def format_date(value, fmt=None):
    if not fmt:
        fmt = "G"
    if len(fmt) == 1:
        if fmt not in STANDARD_DATE_FORMATS:
            raise Unsupported(f"date format '{fmt}'")
        fmt = STANDARD_DATE_FORMATS[fmt]
    out = []
    for token in _DATE_TOKEN.findall(fmt):
        out.append(_date_token(value, token))
    return "".join(out)


def _date_token(value, token):
    hour12 = value.hour % 12 or 12
    simple = {
        "dddd": DAY_NAMES[value.weekday()], "ddd": DAY_NAMES[value.weekday()][:3], "dd": f"{value.day:02}",
        "d": str(value.day), "MMMM": MONTH_NAMES[value.month - 1], "MMM": MONTH_NAMES[value.month - 1][:3],
        "MM": f"{value.month:02}", "M": str(value.month), "yyyy": f"{value.year:04}", "yyy": f"{value.year:03}",
        "yy": f"{value.year % 100:02}", "y": str(value.year % 100), "HH": f"{value.hour:02}", "H": str(value.hour),
        "hh": f"{hour12:02}", "h": str(hour12), "mm": f"{value.minute:02}", "m": str(value.minute),
        "ss": f"{value.second:02}", "s": str(value.second), "tt": "AM" if value.hour < 12 else "PM",
        "t": "A" if value.hour < 12 else "P", "zzz": "+00:00", "zz": "+00", "z": "+0", "K": "",
    }
    if token in simple:
        return simple[token]
    if token[0] in "fF":
        digits = f"{value.microsecond:06}0"[:len(token)]
        return digits.rstrip("0") if token[0] == "F" else digits
    if token[0] in "'\"":
        return token[1:-1]
    if token.startswith("\\"):
        return token[1:]
    return token


def format_timespan_with(value, fmt):
    if fmt in ("c", "t", "T", None, ""):
        return format_timespan(value)
    if fmt == "g":
        text = format_timespan(value)
        return text.lstrip("0") if not text.startswith("0:") else text
    total = int(value.total_seconds())
    sign_free = abs(total)
    days, rest = divmod(sign_free, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = {"dd": f"{days:02}", "d": str(days), "hh": f"{hours:02}", "h": str(hours), "mm": f"{minutes:02}",
             "m": str(minutes), "ss": f"{seconds:02}", "s": str(seconds)}
    out = []
    for token in re.findall(r"dd|d|hh|h|mm|m|ss|s|'[^']*'|\\.|.", fmt):
        if token in parts:
            out.append(parts[token])
        elif token.startswith("'"):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        else:
            raise ps_error("Input string was not in a correct format.", "System.FormatException")
    return "".join(out)


def format_with(value, fmt):
    """value.ToString(fmt) / {0:fmt}."""
    if fmt is None or fmt == "":
        return to_str(value)
    if isinstance(value, datetime.datetime):
        return format_date(value, fmt)
    if isinstance(value, datetime.timedelta):
        return format_timespan_with(value, fmt)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value, fmt)
    return to_str(value)


_ITEM = re.compile(r"\{\{|\}\}|\{(\d+)(?:\s*,\s*(-?\d+))?(?::([^}]*))?\}|[{}]")


def format_operator(fmt, args):
    """The -f operator (.NET composite formatting)."""
    out = []
    position = 0
    for match in _ITEM.finditer(fmt):
        out.append(fmt[position:match.start()])
        position = match.end()
        token = match.group(0)
        if token == "{{":
            out.append("{")
        elif token == "}}":
            out.append("}")
        elif match.group(1) is None:
            raise ps_error('Error formatting a string: Input string was not in a correct format..',
                           "System.FormatException")
        else:
            index = int(match.group(1))
            if index >= len(args):
                raise ps_error("Error formatting a string: Index (zero based) must be greater than or equal to "
                               "zero and less than the size of the argument list..", "System.FormatException")
            text = format_with(args[index], match.group(3))
            width = int(match.group(2)) if match.group(2) else 0
            text = text.ljust(-width) if width < 0 else text.rjust(width)
            out.append(text)
    out.append(fmt[position:])
    return "".join(out)


# --- objects on the console -----------------------------------------------------------------------

def display_scalar(value):
    """How a value looks as one cell or one output line."""
    if isinstance(value, datetime.datetime):
        return format_date(value, "G")
    if isinstance(value, list):
        return "{" + ", ".join(display_scalar(item) for item in value) + "}"
    if isinstance(value, PSHashtable):
        return to_str(value)
    return to_str(value)


def object_properties(value):
    """The properties Format-List/Format-Table show, as (name, value) pairs."""
    if isinstance(value, PSObject):
        return value.props.items()
    if isinstance(value, DotNetObject):
        defaults = getattr(value, "default_display", None)
        props = value.properties()
        if defaults:
            return [(name, props[name]) for name in defaults]
        return props.items()
    if isinstance(value, datetime.timedelta):
        return [(name, getattr_timespan(value, name)) for name in
                ("Days", "Hours", "Minutes", "Seconds", "Milliseconds", "Ticks", "TotalDays", "TotalHours",
                 "TotalMinutes", "TotalSeconds", "TotalMilliseconds")]
    return None


def getattr_timespan(value, name):
    from .members import timespan_member
    return timespan_member(value, name)


def is_scalar(value):
    return value is None or isinstance(value, (str, int, float, bool, PSEnum, datetime.datetime))


def format_list(values):
    lines = []
    for value in values:
        if is_scalar(value):
            lines.append(display_scalar(value))
            continue
        if isinstance(value, PSHashtable):
            lines.extend(format_table([value]))
            continue
        props = object_properties(value)
        if props is None:
            lines.append(to_str(value))
            continue
        width = max((len(name) for name, _ in props), default=0)
        lines.append("")
        for name, item in props:
            lines.append(f"{name.ljust(width)} : {display_scalar(item)}")
        lines.append("")
    return lines


def format_table(values, columns=None):
    rows = []
    for value in values:
        if isinstance(value, PSHashtable):
            rows.extend(PSObject([("Name", key), ("Value", item)]) for key, item in value.items())
        else:
            rows.append(value)
    if not rows:
        return []
    if all(is_scalar(row) for row in rows):
        return [display_scalar(row) for row in rows]
    first = object_properties(rows[0]) or []
    names = columns or [name for name, _ in first]
    cells = []
    for row in rows:
        props = CIDict(object_properties(row) or [])
        cells.append([display_scalar(props.get(name)) for name in names])
    widths = [max([len(name)] + [len(line[i]) for line in cells]) for i, name in enumerate(names)]

    def render(parts):
        return " ".join(part.ljust(widths[i]) for i, part in enumerate(parts)).rstrip()

    lines = ["", render(names), render(["-" * len(name) for name in names])]
    lines.extend(render(line) for line in cells)
    lines.append("")
    return lines


def table_row(value):
    """(shape, column names, cells) when Out-Default shows `value` as a table row, else None: a
    [PSCustomObject] of up to four properties, or a .NET object whose default view has up to four."""
    if isinstance(value, PSObject):
        props = value.props.items()
    elif isinstance(value, DotNetObject) and getattr(value, "default_display", None):
        props = object_properties(value)
    else:
        return None
    if not props or len(props) > 4:
        return None
    names = [name for name, _ in props]
    return (getattr(value, "type_name", ""), tuple(names)), names, [display_scalar(item) for _, item in props]


class Console:
    """Out-Default over a stream of objects: consecutive objects of one shape make one table (held
    until something else is written or the output ends, so that the columns fit every row)."""

    def __init__(self):
        self.shape = None
        self.names = None
        self.rows = []

    def lines(self, value):
        row = table_row(value)
        if row is None:
            return self.finish() + default_lines(value)
        shape, names, cells = row
        out = self.finish() if shape != self.shape else []
        self.shape, self.names = shape, names
        self.rows.append(cells)
        return out

    def finish(self):
        if self.shape is None:
            return []
        widths = [max([len(name)] + [len(row[i]) for row in self.rows]) for i, name in enumerate(self.names)]

        def render(parts):
            return " ".join(part.ljust(widths[i]) for i, part in enumerate(parts)).rstrip()

        out = ["", render(self.names), render(["-" * len(name) for name in self.names])]
        out.extend(render(row) for row in self.rows)
        out.append("")
        self.shape, self.names, self.rows = None, None, []
        return out


def default_lines(value):
    """Out-Default: the console lines one output object becomes."""
    if value is None:
        return []
    if isinstance(value, str):
        return value.replace("\r\n", "\n").split("\n")
    if is_scalar(value):
        return [display_scalar(value)]
    if isinstance(value, PSHashtable):
        return format_table([value])
    props = object_properties(value)
    if props is not None and isinstance(value, PSObject) and len(props) <= 4:
        return format_table([value])
    return format_list([value])
