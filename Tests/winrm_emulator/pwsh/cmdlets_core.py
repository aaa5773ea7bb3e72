"""Output, flow and object cmdlets: Write-*, Start-Sleep, Get-Date, variables, ForEach-Object,
Where-Object, Select-Object, Sort-Object, Measure-Object, Out-*, Format-*, New-Object, Set-StrictMode."""
import functools

from . import operators
from .cmdlets import P, cmdlet, script_block_of
from .errors import ReturnSignal, Unsupported
from .formatting import default_lines, format_date, format_list, format_table
from .members import get_member
from .objects import UTF8Encoding
from .values import (ErrorRecord, NetException, PSError, PSHashtable, PSObject, ScriptBlock, collapse,
                     enumerate_value, to_bool, to_float, to_number, to_str)


def _items(items, bound, name="InputObject"):
    if items is not None:
        return items
    if name in bound:
        return enumerate_value(bound[name])
    return []


@cmdlet("Write-Output", P("InputObject", position=0, rest=True), P("NoEnumerate", switch=True))
def write_output(ctx, bound, items):
    if "InputObject" in bound:
        value = bound["InputObject"]
        if bound.get("NoEnumerate"):
            ctx.write(value)
        else:
            ctx.write_all(value)
    elif items is not None:
        for item in items:
            ctx.write(item)


@cmdlet("Write-Host", P("Object", position=0, rest=True), P("NoNewline", switch=True), P("Separator"),
        P("ForegroundColor"), P("BackgroundColor"))
def write_host(ctx, bound, items):
    values = enumerate_value(bound["Object"]) if "Object" in bound else (items or [])
    separator = to_str(bound.get("Separator", " "))
    text = separator.join(to_str(value) for value in values)
    ctx.interp.console_write("stdout", text + ("" if bound.get("NoNewline") else "\n"))


@cmdlet("Write-Error", P("Message", position=0, aliases=("Msg",)), P("Category"), P("ErrorId"), P("TargetObject"),
        P("Exception"), P("ErrorRecord"), P("RecommendedAction"), P("CategoryActivity"), P("CategoryReason"),
        P("CategoryTargetName"), P("CategoryTargetType"))
def write_error(ctx, bound, items):
    if "ErrorRecord" in bound and isinstance(bound["ErrorRecord"], ErrorRecord):
        message = bound["ErrorRecord"].message
    elif "Exception" in bound:
        exception = bound["Exception"]
        message = exception.message if isinstance(exception, NetException) else to_str(exception)
    else:
        message = to_str(bound.get("Message", items[0] if items else ""))
    record = ErrorRecord(NetException("Microsoft.PowerShell.Commands.WriteErrorException", message),
                         to_str(bound.get("Category", "NotSpecified")),
                         to_str(bound.get("ErrorId", "Microsoft.PowerShell.Commands.WriteErrorException")),
                         bound.get("TargetObject"))
    ctx.had_error = True
    if ctx.action == "stop":
        record.script_terminating = True
        raise PSError(record)
    if ctx.action == "ignore":
        return
    ctx.interp.add_error(record)
    if ctx.action == "continue":
        if ctx.error_sink == "merge":
            ctx.write(record)
        elif ctx.error_sink != "discard":
            ctx.interp.report(record)


def _stream_writer(prefix, preference, switch):
    def run(ctx, bound, items):
        message = to_str(bound.get("Message", ""))
        wanted = ctx.common.get(switch) if switch else None
        level = to_str(ctx.common.get("WarningAction")) if prefix == "WARNING" and "WarningAction" in ctx.common \
            else ctx.interp.preference(preference)
        if wanted or level.lower() in ("continue", "stop"):
            ctx.interp.console_write("stdout", f"{prefix}: {message}\n")
            if level.lower() == "stop" and not wanted:
                raise ctx.fail(f"The running command stopped because the preference variable \"{preference}\" or "
                               f"common parameter is set to Stop: {message}", "OperationStopped",
                               "ActionPreferenceStop", "System.Management.Automation.ActionPreferenceStopException")
    return run


cmdlet("Write-Warning", P("Message", position=0, mandatory=True))(_stream_writer("WARNING", "WarningPreference", None))
cmdlet("Write-Verbose", P("Message", position=0, mandatory=True))(
    _stream_writer("VERBOSE", "VerbosePreference", "Verbose"))
cmdlet("Write-Debug", P("Message", position=0, mandatory=True))(_stream_writer("DEBUG", "DebugPreference", "Debug"))


@cmdlet("Write-Information", P("MessageData", position=0, aliases=("Msg", "Message")), P("Tags"))
def write_information(ctx, bound, items):
    if ctx.interp.preference("InformationPreference").lower() == "continue":
        ctx.interp.console_write("stdout", to_str(bound.get("MessageData")) + "\n")


@cmdlet("Write-Progress", P("Activity", position=0), P("Status", position=1), P("Id"), P("PercentComplete"),
        P("SecondsRemaining"), P("CurrentOperation"), P("ParentId"), P("Completed", switch=True))
def write_progress(ctx, bound, items):
    if ctx.interp.preference("ProgressPreference").lower() == "silentlycontinue":
        return
    parts = [to_str(bound.get("Activity", ""))]
    if "Status" in bound:
        parts.append(to_str(bound["Status"]))
    if "PercentComplete" in bound:
        parts.append(f"{to_str(bound['PercentComplete'])}%")
    if bound.get("Completed"):
        parts.append("completed")
    ctx.interp.emit("progress", ": ".join(parts))


@cmdlet("Start-Sleep", P("Seconds", position=0, aliases=("s",)), P("Milliseconds", aliases=("ms",)))
def start_sleep(ctx, bound, items):
    if "Seconds" in bound:
        seconds = to_float(bound["Seconds"])
    elif "Milliseconds" in bound:
        seconds = to_float(bound["Milliseconds"]) / 1000
    else:
        raise ctx.fail("Cannot process command because of one or more missing mandatory parameters: Seconds.",
                       error_id="MissingMandatoryParameter",
                       exception="System.Management.Automation.ParameterBindingException")
    if seconds < 0:
        raise ctx.fail(f"Cannot validate argument on parameter 'Seconds'. The {to_str(bound['Seconds'])} argument "
                       f"is less than the minimum allowed range of 0.", error_id="ParameterArgumentValidationError",
                       exception="System.Management.Automation.ParameterBindingValidationException")
    ctx.host.sleep(seconds, ctx.interp.cancel)
    ctx.interp.check_cancel()


@cmdlet("Get-Date", P("Date", position=0), P("Format"), P("UFormat"), P("DisplayHint"))
def get_date(ctx, bound, items):
    if "UFormat" in bound:
        raise Unsupported("Get-Date -UFormat", ctx.line())
    from .dotnet import _to_datetime
    value = _to_datetime(bound["Date"]) if "Date" in bound else ctx.host.now
    if "Format" in bound:
        ctx.write(format_date(value, to_str(bound["Format"])))
    else:
        ctx.write(value)


@cmdlet("Get-Variable", P("Name", position=0), P("ValueOnly", switch=True), P("Scope"))
def get_variable(ctx, bound, items):
    if "Scope" in bound:
        raise Unsupported("Get-Variable -Scope", ctx.line())
    for name in enumerate_value(bound.get("Name")):
        name = to_str(name)
        if operators.has_wildcards(name):
            raise Unsupported("Get-Variable with wildcards", ctx.line())
        if not ctx.interp.has_variable(name) and name.lower() not in ("true", "false", "null"):
            ctx.error(f"Cannot find a variable with the name '{name}'.", "ObjectNotFound", "VariableNotFound",
                      "System.Management.Automation.ItemNotFoundException", name)
            continue
        value = ctx.interp.read_variable(name)
        if bound.get("ValueOnly"):
            ctx.write_all(value)
        else:
            ctx.write(PSObject([("Name", name), ("Value", value)]))


@cmdlet("Set-Variable", P("Name", position=0), P("Value", position=1), P("Scope"), P("PassThru", switch=True))
def set_variable(ctx, bound, items):
    scope = to_str(bound.get("Scope", "")).lower()
    name = to_str(bound.get("Name"))
    value = bound.get("Value", collapse(items or []))
    if scope in ("script", "global"):
        ctx.interp.global_scope.vars[name] = value
    elif scope in ("", "local"):
        ctx.interp.scope.vars[name] = value
    else:
        raise Unsupported(f"Set-Variable -Scope {scope}", ctx.line())


@cmdlet("Set-StrictMode", P("Version", aliases=("v",)), P("Off", switch=True))
def set_strict_mode(ctx, bound, items):
    ctx.interp.strict = not bound.get("Off") and "Version" in bound


def _each(ctx, block, items):
    interp = ctx.interp
    saved = interp.scope.vars.get("_")
    try:
        for item in (items if items is not None else [None]):
            interp.check_cancel()
            interp.host.tick()
            interp.scope.vars["_"] = item
            yield item
    finally:
        interp.scope.vars["_"] = saved


def _run_in_scope(ctx, block, sink):
    body = block.node
    from .expressions import kids
    if body.type == "script_block_expression":
        body = next((child for child in kids(body) if child.type == "script_block"), None)
    try:
        if body is not None:
            ctx.interp.exec_block_node(body, sink)
    except ReturnSignal:
        pass


@cmdlet("ForEach-Object", P("Process", position=0, rest=True), P("Begin"), P("End"), P("MemberName"),
        P("InputObject"), P("ArgumentList"))
def foreach_object(ctx, bound, items):
    items = _items(items, bound) if items is not None or "InputObject" in bound else None
    process = bound.get("Process")
    if "MemberName" in bound or isinstance(process, str):
        member = to_str(bound.get("MemberName", process))
        for item in (items or []):
            ctx.write_all(get_member(item, member))
        return
    blocks = [script_block_of(block, ctx, "Process") for block in enumerate_value(process)] if process is not None \
        else []
    if "Begin" in bound:
        _run_in_scope(ctx, script_block_of(bound["Begin"], ctx, "Begin"), ctx.write)
    for _ in _each(ctx, None, items):
        for block in blocks:
            _run_in_scope(ctx, block, ctx.write)
    if "End" in bound:
        _run_in_scope(ctx, script_block_of(bound["End"], ctx, "End"), ctx.write)


WHERE_OPERATORS = ["EQ", "NE", "GT", "GE", "LT", "LE", "Like", "NotLike", "Match", "NotMatch", "Contains",
                   "NotContains", "In", "NotIn", "CEQ", "CNE", "CLike", "CMatch", "Is", "IsNot"]


@cmdlet("Where-Object", P("FilterScript", position=0), P("Value", position=1), P("InputObject"),
        *[P(op, switch=True) for op in WHERE_OPERATORS])
def where_object(ctx, bound, items):
    items = _items(items, bound)
    condition = bound.get("FilterScript")
    ops = [op for op in WHERE_OPERATORS if bound.get(op)]
    if isinstance(condition, ScriptBlock) and not ops:
        for item in _each(ctx, condition, items):
            if to_bool(collapse(ctx.interp.collect_block(condition))):
                ctx.write(item)
        return
    if len(ops) > 1:
        raise ctx.fail("Parameter set cannot be resolved using the specified named parameters.",
                       error_id="AmbiguousParameterSet")
    prop = to_str(condition)
    if not ops:
        for item in items:
            if to_bool(get_member(item, prop)):
                ctx.write(item)
        return
    op = ops[0].lower()
    if op in ("is", "isnot"):
        raise Unsupported("Where-Object -Is", ctx.line())
    for item in items:
        if to_bool(operators.compare(op, get_member(item, prop), bound.get("Value"))):
            ctx.write(item)


def _property_spec(ctx, spec):
    """(display name, getter) for Select-Object/Sort-Object/Format-* properties."""
    if isinstance(spec, PSHashtable):
        name = spec.get("Name", spec.get("Label", spec.get("n", spec.get("l"))))
        expression = spec.get("Expression", spec.get("e"))
        if isinstance(expression, ScriptBlock):
            return to_str(name) if name is not None else expression.source.strip(), \
                lambda item: _block_value(ctx, expression, item)
        return to_str(name if name is not None else expression), lambda item: get_member(item, to_str(expression))
    if isinstance(spec, ScriptBlock):
        return spec.source.strip(), lambda item: _block_value(ctx, spec, item)
    name = to_str(spec)
    if operators.has_wildcards(name):
        raise Unsupported("wildcard property names", ctx.line())
    return name, lambda item: get_member(item, name)


def _block_value(ctx, block, item):
    interp = ctx.interp
    saved = interp.scope.vars.get("_")
    interp.scope.vars["_"] = item
    try:
        return collapse(interp.collect_block(block))
    finally:
        interp.scope.vars["_"] = saved


@cmdlet("Select-Object", P("Property", position=0), P("ExpandProperty"), P("First"), P("Last"), P("Skip"),
        P("Unique", switch=True), P("Index"), P("InputObject"), P("ExcludeProperty"))
def select_object(ctx, bound, items):
    if "Index" in bound or "ExcludeProperty" in bound:
        raise Unsupported("Select-Object -Index/-ExcludeProperty", ctx.line())
    items = list(_items(items, bound))
    if "Skip" in bound:
        items = items[int(to_number(bound["Skip"])):]
    if "First" in bound or "Last" in bound:
        head = items[:int(to_number(bound["First"]))] if "First" in bound else []
        tail = items[len(items) - int(to_number(bound["Last"])):] if "Last" in bound and \
            int(to_number(bound["Last"])) > 0 else []
        items = head + tail if "First" in bound and "Last" in bound else (head if "First" in bound else tail)
    if bound.get("Unique"):
        unique = []
        for item in items:
            if not any(operators.ps_equals(item, seen, True) for seen in unique):
                unique.append(item)
        items = unique
    specs = [_property_spec(ctx, spec) for spec in enumerate_value(bound["Property"])] if "Property" in bound else []
    for item in items:
        if "ExpandProperty" in bound:
            ctx.write_all(get_member(item, to_str(bound["ExpandProperty"])))
        elif specs:
            ctx.write(PSObject([(name, getter(item)) for name, getter in specs]))
        else:
            ctx.write(item)


@cmdlet("Sort-Object", P("Property", position=0), P("Descending", switch=True), P("Unique", switch=True),
        P("CaseSensitive", switch=True), P("InputObject"))
def sort_object(ctx, bound, items):
    items = list(_items(items, bound))
    descending_default = bool(bound.get("Descending"))
    keys = []
    for spec in (enumerate_value(bound["Property"]) if "Property" in bound else []):
        descending = descending_default
        if isinstance(spec, PSHashtable) and "Descending" in spec:
            descending = to_bool(spec["Descending"])
        keys.append((_property_spec(ctx, spec)[1], descending))
    if not keys:
        keys = [(lambda item: item, descending_default)]
    case_sensitive = bool(bound.get("CaseSensitive"))
    values = [[getter(item) for getter, _ in keys] for item in items]

    def compare(a, b):
        for index, (_, descending) in enumerate(keys):
            left, right = values[a][index], values[b][index]
            try:
                result = operators.ps_compare(left, right, case_sensitive)
            except Exception:
                result = operators.ps_compare(to_str(left), to_str(right), case_sensitive)
            if result:
                return -result if descending else result
        return 0

    order = sorted(range(len(items)), key=functools.cmp_to_key(compare))
    written = []
    for index in order:
        if bound.get("Unique") and any(compare(index, seen) == 0 for seen in written):
            continue
        written.append(index)
        ctx.write(items[index])


@cmdlet("Measure-Object", P("Property", position=0), P("Sum", switch=True), P("Average", switch=True),
        P("Maximum", switch=True), P("Minimum", switch=True), P("InputObject"), P("Line", switch=True),
        P("Word", switch=True), P("Character", switch=True))
def measure_object(ctx, bound, items):
    if bound.get("Line") or bound.get("Word") or bound.get("Character"):
        raise Unsupported("Measure-Object -Line/-Word/-Character", ctx.line())
    items = list(_items(items, bound))
    prop = bound.get("Property")
    values = [get_member(item, to_str(prop)) if prop is not None else item for item in items]
    values = [value for value in values if value is not None]
    numbers = [to_number(value) for value in values] if any(bound.get(k) for k in ("Sum", "Average", "Maximum",
                                                                                   "Minimum")) else []
    result = PSObject([("Count", len(values)), ("Average", sum(numbers) / len(numbers)
                                                if bound.get("Average") and numbers else None),
                       ("Sum", sum(numbers) if bound.get("Sum") else None),
                       ("Maximum", max(numbers) if bound.get("Maximum") and numbers else None),
                       ("Minimum", min(numbers) if bound.get("Minimum") and numbers else None),
                       ("Property", to_str(prop) if prop is not None else None)])
    ctx.write(result)


@cmdlet("Out-Null", P("InputObject"))
def out_null(ctx, bound, items):
    return None


def _console_lines(values):
    lines = []
    for value in values:
        lines.extend(default_lines(value))
    return lines


@cmdlet("Out-String", P("InputObject"), P("Stream", switch=True), P("Width"))
def out_string(ctx, bound, items):
    values = _items(items, bound)
    lines = _console_lines(values)
    if bound.get("Stream"):
        for line in lines:
            ctx.write(line)
    elif values:
        ctx.write("\r\n".join(lines) + "\r\n")


@cmdlet("Out-Host", P("InputObject"), P("Paging", switch=True))
def out_host(ctx, bound, items):
    for value in _items(items, bound):
        ctx.interp.top_sink(value)


@cmdlet("Out-Default", P("InputObject"))
def out_default(ctx, bound, items):
    for value in _items(items, bound):
        ctx.interp.top_sink(value)


@cmdlet("Format-Table", P("Property", position=0), P("AutoSize", switch=True), P("HideTableHeaders", switch=True),
        P("Wrap", switch=True), P("InputObject"))
def format_table_cmdlet(ctx, bound, items):
    values = list(_items(items, bound))
    columns = None
    if "Property" in bound:
        specs = [_property_spec(ctx, spec) for spec in enumerate_value(bound["Property"])]
        values = [PSObject([(name, getter(value)) for name, getter in specs]) for value in values]
        columns = [name for name, _ in specs]
    lines = format_table(values, columns)
    if bound.get("HideTableHeaders") and len(lines) > 3:
        lines = lines[:1] + lines[3:]
    for line in lines:
        ctx.write(line)


@cmdlet("Format-List", P("Property", position=0), P("InputObject"))
def format_list_cmdlet(ctx, bound, items):
    values = list(_items(items, bound))
    if "Property" in bound:
        specs = [_property_spec(ctx, spec) for spec in enumerate_value(bound["Property"])]
        values = [PSObject([(name, getter(value)) for name, getter in specs]) for value in values]
    for line in format_list(values):
        ctx.write(line)


@cmdlet("New-Object", P("TypeName", position=0), P("ArgumentList", position=1, rest=True), P("Property"),
        P("ComObject"))
def new_object(ctx, bound, items):
    if "ComObject" in bound:
        raise Unsupported("New-Object -ComObject", ctx.line())
    name = to_str(bound.get("TypeName")).lower()
    if name.startswith("system."):
        name = name[7:]
    args = enumerate_value(bound["ArgumentList"]) if "ArgumentList" in bound else []
    if name == "text.utf8encoding":
        ctx.write(UTF8Encoding(to_bool(args[0]) if args else False))
    elif name in ("psobject", "management.automation.psobject", "pscustomobject"):
        props = bound.get("Property")
        ctx.write(PSObject(props.items() if isinstance(props, PSHashtable) else []))
    elif name == "collections.hashtable":
        ctx.write(PSHashtable())
    else:
        raise Unsupported(f"New-Object {bound.get('TypeName')}", ctx.line())
