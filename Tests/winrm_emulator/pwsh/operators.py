"""PowerShell operators: comparison (case-insensitive by default, filtering when the left side is an
array), -like/-match/-replace/-split/-join, arithmetic with PowerShell's conversions."""
import datetime
import re

from .errors import Unsupported
from .values import (PSEnum, PSHashtable, ScriptBlock, collapse, ps_error, to_bool, to_number, to_str,
                     type_name_of)


# --- regular expressions (.NET syntax to Python) ----------------------------------------------------

def net_regex(pattern, case_sensitive=False):
    converted = re.sub(r"\(\?<([A-Za-z_][A-Za-z0-9_]*)>", r"(?P<\1>", pattern)
    converted = converted.replace(r"\z", r"\Z")
    try:
        return re.compile(converted, 0 if case_sensitive else re.IGNORECASE)
    except re.error as error:
        raise ps_error(f'The regular expression pattern {pattern} is not valid: {error}.',
                       "System.ArgumentException", "InvalidOperation", "InvalidRegularExpression")


def net_replacement(replacement):
    """A .NET replacement string ($1, ${name}, $0, $&, $$) as a function of a match."""
    parts = re.split(r"(\$\$|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$\d+|\$&)", replacement)

    def expand(match):
        out = []
        for part in parts:
            if part == "$$":
                out.append("$")
            elif part == "$&":
                out.append(match.group(0))
            elif part.startswith("${"):
                name = part[2:-1]
                out.append(match.group(int(name) if name.isdigit() else name) or "")
            elif len(part) > 1 and part.startswith("$") and part[1:].isdigit():
                index = int(part[1:])
                out.append((match.group(index) or "") if index <= (match.re.groups or 0) else part)
            else:
                out.append(part)
        return "".join(out)
    return expand


def wildcard_regex(pattern, case_sensitive=False):
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "`" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                out.append("[" + pattern[i + 1:end].replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL | (0 if case_sensitive else re.IGNORECASE))


def wildcard_match(pattern, text, case_sensitive=False):
    return wildcard_regex(pattern, case_sensitive).match(text) is not None


def has_wildcards(text):
    return any(char in text for char in "*?[")


# --- comparison -------------------------------------------------------------------------------------

def ps_equals(left, right, case_sensitive=False):
    if left is None:
        return right is None
    if right is None:
        return False
    if isinstance(left, str):
        right_text = to_str(right)
        return left == right_text if case_sensitive else left.lower() == right_text.lower()
    if isinstance(left, bool):
        return left == to_bool(right)
    if isinstance(left, (int, float)):
        try:
            return left == to_number(right)
        except Exception:
            return False
    if isinstance(left, PSEnum):
        if isinstance(right, PSEnum):
            return left.value == right.value
        if isinstance(right, str):
            return left.name.lower() == right.lower()
        try:
            return left.value == to_number(right)
        except Exception:
            return False
    if isinstance(left, datetime.datetime):
        return isinstance(right, datetime.datetime) and left == right
    if isinstance(left, datetime.timedelta):
        return isinstance(right, datetime.timedelta) and left == right
    return left is right


def ps_compare(left, right, case_sensitive=False):
    """-1, 0 or 1 for -lt/-le/-gt/-ge (the right side converted to the left side's type)."""
    if left is None and right is None:
        return 0
    if left is None:
        return -1
    if right is None:
        return 1
    if isinstance(left, str):
        a, b = left, to_str(right)
        if not case_sensitive:
            a, b = a.lower(), b.lower()
    elif isinstance(left, (bool, int, float)):
        a, b = to_number(left), to_number(right, type_name_of(left))
    elif isinstance(left, PSEnum):
        a, b = left.value, right.value if isinstance(right, PSEnum) else to_number(right)
    elif isinstance(left, (datetime.datetime, datetime.timedelta)):
        if type(right) is not type(left):
            raise ps_error(f'Cannot compare "{to_str(left)}" to "{to_str(right)}" because the objects are not the '
                           f'same type or the object "{to_str(left)}" does not implement "IComparable".',
                           category="InvalidOperation")
        a, b = left, right
    else:
        raise Unsupported(f"ordering comparison of [{type_name_of(left)}]")
    return (a > b) - (a < b)


def _scalar_compare(op, left, right, case_sensitive, interp):
    if op == "eq":
        return ps_equals(left, right, case_sensitive)
    if op == "ne":
        return not ps_equals(left, right, case_sensitive)
    if op in ("lt", "le", "gt", "ge"):
        result = ps_compare(left, right, case_sensitive)
        return {"lt": result < 0, "le": result <= 0, "gt": result > 0, "ge": result >= 0}[op]
    if op in ("like", "notlike"):
        matched = wildcard_match(to_str(right), to_str(left), case_sensitive)
        return matched if op == "like" else not matched
    if op in ("match", "notmatch"):
        match = net_regex(to_str(right), case_sensitive).search(to_str(left))
        if match and interp is not None and op == "match":
            interp.set_matches(match)
        return bool(match) if op == "match" else not match
    raise Unsupported(f"operator -{op}")


FILTERING = {"eq", "ne", "lt", "le", "gt", "ge", "like", "notlike", "match", "notmatch"}


def compare(op, left, right, interp=None):
    """Binary comparison operators; `op` without its dash, possibly with the c/i prefix."""
    case_sensitive = False
    base = op
    if op[0] in "ci" and op[1:] in FILTERING | {"contains", "notcontains", "replace", "split", "in", "notin"}:
        case_sensitive = op[0] == "c"
        base = op[1:]
    if base in FILTERING:
        if isinstance(left, list):
            if base in ("match", "notmatch"):
                regex = net_regex(to_str(right), case_sensitive)
                keep = [item for item in left if bool(regex.search(to_str(item))) == (base == "match")]
                return keep
            return [item for item in left if _scalar_compare(base, item, right, case_sensitive, None)]
        return _scalar_compare(base, left, right, case_sensitive, interp)
    if base in ("contains", "notcontains"):
        found = any(ps_equals(item, right, case_sensitive) for item in (left if isinstance(left, list) else [left]))
        return found if base == "contains" else not found
    if base in ("in", "notin"):
        found = any(ps_equals(item, left, case_sensitive) for item in (right if isinstance(right, list) else [right]))
        return found if base == "in" else not found
    if base == "replace":
        return replace(left, right, case_sensitive)
    if base == "split":
        return split(left, right, case_sensitive)
    if op == "join":
        return to_str(right).join(to_str(item) for item in (left if isinstance(left, list) else [left]))
    raise Unsupported(f"operator -{op}")


def replace(left, right, case_sensitive=False):
    args = right if isinstance(right, list) else [right]
    if len(args) > 2 or isinstance(args[-1], ScriptBlock):
        raise Unsupported("-replace with these operands")
    regex = net_regex(to_str(args[0]), case_sensitive)
    replacement = net_replacement(to_str(args[1]) if len(args) > 1 else "")
    if isinstance(left, list):
        return [regex.sub(replacement, to_str(item)) for item in left]
    return regex.sub(replacement, to_str(left))


def split(left, right, case_sensitive=False):
    args = right if isinstance(right, list) else [right]
    if len(args) > 2 or isinstance(args[0], ScriptBlock):
        raise Unsupported("-split with these operands")
    regex = net_regex(to_str(args[0]), case_sensitive)
    count = int(to_number(args[1])) if len(args) > 1 else 0
    out = []
    for item in (left if isinstance(left, list) else [left]):
        out.extend(regex.split(to_str(item), maxsplit=max(count - 1, 0)))
    return out


def unary_split(value):
    out = []
    for item in (value if isinstance(value, list) else [value]):
        out.extend(part for part in re.split(r"\s+", to_str(item)) if part)
    return out


# --- arithmetic -------------------------------------------------------------------------------------

def _number_result(value):
    if isinstance(value, float) and value == int(value) and abs(value) < 2**53:
        return value
    return value


def add(left, right):
    if left is None:
        return right if not isinstance(right, list) else list(right)
    if isinstance(left, list):
        return left + (right if isinstance(right, list) else [right])
    if isinstance(left, str):
        return left + to_str(right)
    if isinstance(left, PSHashtable):
        if not isinstance(right, PSHashtable):
            raise ps_error("A hash table can only be added to another hash table.", category="InvalidOperation")
        merged = PSHashtable(left.items())
        for key, value in right.items():
            if key in merged:
                raise ps_error(f"Item has already been added. Key in dictionary: '{key}'  Key being added: '{key}'",
                               "System.ArgumentException", "InvalidOperation")
            merged[key] = value
        return merged
    if isinstance(left, datetime.datetime):
        if isinstance(right, datetime.timedelta):
            return left + right
        raise ps_error(f'Cannot convert "{to_str(right)}" to "System.TimeSpan".', category="InvalidArgument")
    if isinstance(left, datetime.timedelta):
        if isinstance(right, datetime.timedelta):
            return left + right
        raise ps_error(f'Cannot convert "{to_str(right)}" to "System.TimeSpan".', category="InvalidArgument")
    return to_number(left) + to_number(right)


def subtract(left, right):
    if isinstance(left, datetime.datetime):
        if isinstance(right, (datetime.datetime, datetime.timedelta)):
            return left - right
    if isinstance(left, datetime.timedelta) and isinstance(right, datetime.timedelta):
        return left - right
    if isinstance(left, (list, PSHashtable)):
        raise ps_error(f'Method invocation failed because [{type_name_of(left)}] does not contain a method named '
                       f"'op_Subtraction'.", category="InvalidOperation")
    return to_number(left) - to_number(right)


def multiply(left, right):
    if isinstance(left, str):
        return left * int(to_number(right))
    if isinstance(left, list):
        return left * int(to_number(right))
    return to_number(left) * to_number(right)


def divide(left, right):
    a, b = to_number(left), to_number(right)
    if b == 0:
        raise ps_error("Attempted to divide by zero.", "System.DivideByZeroException", "NotSpecified",
                       "RuntimeException")
    if isinstance(a, int) and isinstance(b, int) and a % b == 0:
        return a // b
    return a / b


def modulo(left, right):
    a, b = to_number(left), to_number(right)
    if b == 0:
        raise ps_error("Attempted to divide by zero.", "System.DivideByZeroException", "NotSpecified",
                       "RuntimeException")
    result = abs(a) % abs(b)
    return -result if a < 0 else result


def negate(value):
    if isinstance(value, datetime.timedelta):
        return -value
    return -to_number(value)


ARITHMETIC = {"+": add, "-": subtract, "*": multiply, "/": divide, "%": modulo}


def member_enumerate(values):
    return collapse([value for value in values if value is not None])
