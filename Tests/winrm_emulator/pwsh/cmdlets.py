"""Commands: parameter binding (cmdlets and script functions), error actions, and the registry.
The cmdlets themselves live in cmdlets_*.py and register here with @cmdlet."""
from .errors import Unsupported
from .values import (ErrorRecord, NetException, PSError, PSHashtable, ScriptBlock, enumerate_value, ps_error,
                     to_bool, to_str)

REGISTRY = {}
ALIASES = {
    "%": "ForEach-Object", "foreach": "ForEach-Object", "?": "Where-Object", "where": "Where-Object",
    "select": "Select-Object", "sort": "Sort-Object", "measure": "Measure-Object", "echo": "Write-Output",
    "write": "Write-Output", "gci": "Get-ChildItem", "ls": "Get-ChildItem", "dir": "Get-ChildItem",
    "gc": "Get-Content", "cat": "Get-Content", "type": "Get-Content", "rm": "Remove-Item", "del": "Remove-Item",
    "ri": "Remove-Item", "cp": "Copy-Item", "copy": "Copy-Item", "cpi": "Copy-Item", "mv": "Move-Item",
    "move": "Move-Item", "ni": "New-Item", "sleep": "Start-Sleep", "gsv": "Get-Service", "gps": "Get-Process",
    "ps": "Get-Process", "kill": "Stop-Process", "spps": "Stop-Process", "fl": "Format-List",
    "ft": "Format-Table", "gwmi": "Get-WmiObject", "gcim": "Get-CimInstance", "gi": "Get-Item",
    "gv": "Get-Variable", "sv": "Set-Variable", "set": "Set-Variable", "gdr": "Get-PSDrive",
    "sasv": "Start-Service", "spsv": "Stop-Service", "oh": "Out-Host", "tee": "Tee-Object", "group": "Group-Object",
}
COMMON = {
    "erroraction": "ErrorAction", "ea": "ErrorAction", "warningaction": "WarningAction", "wa": "WarningAction",
    "verbose": "Verbose", "vb": "Verbose", "debug": "Debug", "db": "Debug", "confirm": "Confirm", "cf": "Confirm",
    "whatif": "WhatIf", "wi": "WhatIf", "informationaction": "InformationAction", "infa": "InformationAction",
    "errorvariable": "ErrorVariable", "ev": "ErrorVariable", "outvariable": "OutVariable", "ov": "OutVariable",
    "warningvariable": "WarningVariable", "wv": "WarningVariable", "pipelinevariable": "PipelineVariable",
    "pv": "PipelineVariable", "outbuffer": "OutBuffer", "ob": "OutBuffer",
}
COMMON_SWITCHES = {"Verbose", "Debug", "Confirm", "WhatIf"}
ACTIONS = {"stop", "continue", "silentlycontinue", "ignore"}


class Argument:
    def __init__(self, kind, name=None, value=None, node=None, explicit=False, bareword=False):
        self.kind = kind
        self.name = name
        self.value = value
        self.node = node
        self.explicit = explicit
        self.bareword = bareword


class P:
    """A cmdlet parameter."""

    def __init__(self, name, switch=False, position=None, aliases=(), rest=False, mandatory=False, type_name=None):
        self.name = name
        self.switch = switch
        self.position = position
        self.aliases = [alias.lower() for alias in aliases]
        self.rest = rest
        self.mandatory = mandatory
        self.type_name = type_name or ("switch" if switch else "System.Object")


class Cmdlet:
    def __init__(self, name, params, run, common=True):
        self.name = name
        self.params = params
        self.run = run
        self.common = common


# The cmdlets that take pipeline input here; piping into any other is outside the subset.
PIPELINE_INPUT = {
    "write-output", "write-host", "write-error", "foreach-object", "where-object", "select-object", "sort-object",
    "measure-object", "out-null", "out-string", "out-host", "out-default", "format-table", "format-list",
    "set-variable", "remove-item", "set-content", "add-content", "out-file", "get-service", "start-service",
    "stop-service", "restart-service", "set-service", "get-process", "stop-process",
}


def cmdlet(name, *params):
    def register(function):
        REGISTRY[name.lower()] = Cmdlet(name, list(params), function)
        return function
    return register


def find_cmdlet(name):
    return REGISTRY.get(name.lower())


def resolve_alias(name):
    return ALIASES.get(name.lower(), name)


def binding_error(command, message, error_id):
    error = ps_error(message, "System.Management.Automation.ParameterBindingException", "InvalidArgument",
                     error_id, command=command)
    return error


def match_param(params, name, command):
    lower = name.lower()
    exact = [p for p in params if p.name.lower() == lower or lower in p.aliases]
    if exact:
        return exact[0]
    prefixed = [p for p in params if p.name.lower().startswith(lower)]
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        raise binding_error(command, f"Parameter cannot be processed because the parameter name '{name}' is "
                                     f"ambiguous. Possible matches include: "
                                     f"{' '.join('-' + p.name for p in prefixed)}.", "AmbiguousParameter")
    return None


def bind(params, args, command, allow_common=True):
    """Named, then positional binding. Returns (bound, common, leftover positional values)."""
    bound = {}
    common = {}
    positional = []
    index = 0
    only_positional = False
    while index < len(args):
        arg = args[index]
        index += 1
        if arg.kind == "endofparams":
            only_positional = True
            continue
        if arg.kind == "value" or only_positional:
            positional.append(arg)
            continue
        param = match_param(params, arg.name, command)
        if param is None and allow_common and arg.name.lower() in COMMON:
            name = COMMON[arg.name.lower()]
            if name in COMMON_SWITCHES:
                value = True
                if arg.explicit and index < len(args) and args[index].kind == "value":
                    value = to_bool(args[index].value)
                    index += 1
                common[name] = value
                continue
            if index >= len(args) or args[index].kind != "value":
                raise binding_error(command, f"Missing an argument for parameter '{name}'. Specify a parameter of "
                                             f"type 'System.Object' and try again.", "MissingArgument")
            common[name] = args[index].value
            index += 1
            continue
        if param is None:
            raise binding_error(command, f"A parameter cannot be found that matches parameter name '{arg.name}'.",
                                "NamedParameterNotFound")
        if param.name in bound:
            raise binding_error(command, f"Cannot bind parameter because parameter '{param.name}' is specified more "
                                         f"than once.", "ParameterAlreadyBound")
        if param.switch:
            if arg.explicit and index < len(args) and args[index].kind == "value":
                bound[param.name] = to_bool(args[index].value)
                index += 1
            else:
                bound[param.name] = True
            continue
        if index >= len(args) or args[index].kind != "value":
            raise binding_error(command, f"Missing an argument for parameter '{param.name}'. Specify a parameter of "
                                         f"type '{param.type_name}' and try again.", "MissingArgument")
        bound[param.name] = args[index].value
        index += 1
    return bound, common, positional


class CommandContext:
    """One invocation of a cmdlet: its bound parameters, its output, its errors."""

    def __init__(self, interp, spec, node, sink, error_sink=None):
        self.interp = interp
        self.host = interp.host
        self.spec = spec
        self.node = node
        self.sink = sink
        self.error_sink = error_sink
        self.had_error = False
        self.action = "continue"

    @property
    def name(self):
        return self.spec.name

    def run(self, args, items):
        if items is not None and self.name.lower() not in PIPELINE_INPUT:
            raise Unsupported(f"pipeline input to {self.name}", self.line())
        bound, common, positional = bind(self.spec.params, args, self.name, self.spec.common)
        slots = sorted((p for p in self.spec.params if p.position is not None and p.name not in bound),
                       key=lambda p: p.position)
        rest = next((p for p in self.spec.params if p.rest), None)
        for arg in positional:
            if slots:
                bound[slots.pop(0).name] = arg.value
            elif rest is not None:
                existing = bound.get(rest.name)
                bound[rest.name] = (existing if isinstance(existing, list) else
                                    ([] if existing is None else [existing])) + [arg.value]
            else:
                shown = to_str(arg.value)
                raise binding_error(self.name, f"A positional parameter cannot be found that accepts argument "
                                               f"'{shown}'.", "PositionalParameterNotFound")
        for name in ("ErrorVariable", "OutVariable", "WarningVariable", "PipelineVariable"):
            if name in common:
                raise Unsupported(f"-{name}", self.node.start_point[0] + 1)
        if common.get("WhatIf"):
            raise Unsupported("-WhatIf", self.node.start_point[0] + 1)
        action = common.get("ErrorAction")
        if action is None:
            action = self.interp.preference("ErrorActionPreference")
        action = to_str(action).lower()
        action = {"0": "silentlycontinue", "1": "stop", "2": "continue", "3": "inquire", "4": "ignore",
                  "5": "suspend"}.get(action, action)
        if action not in ACTIONS:
            if action in ("inquire", "suspend"):
                raise Unsupported(f"-ErrorAction {action}", self.node.start_point[0] + 1)
            raise binding_error(self.name, f"Cannot bind parameter 'ErrorAction'. Cannot convert value "
                                           f"\"{action}\" to type \"System.Management.Automation.ActionPreference\".",
                                "CannotConvertArgumentNoMessage")
        self.action = action
        self.common = common
        for param in self.spec.params:
            if param.mandatory and param.name not in bound and not (items is not None and param.position == 0):
                raise binding_error(self.name, f"Cannot process command because of one or more missing mandatory "
                                               f"parameters: {param.name}.", "MissingMandatoryParameter")
        self.spec.run(self, bound, items)
        return not self.had_error

    def write(self, value):
        self.sink(value)

    def write_all(self, value):
        for item in enumerate_value(value):
            self.sink(item)

    def line(self):
        return self.node.start_point[0] + 1

    def error(self, message, category="NotSpecified", error_id=None, exception="System.Exception", target=None):
        """A non-terminating error, handled as -ErrorAction says."""
        record = ErrorRecord(NetException(exception, message), category,
                             f"{error_id or 'Error'},Microsoft.PowerShell.Commands.{self.name.replace('-', '')}Command",
                             target, self.name)
        self.had_error = True
        if self.action == "stop":
            # Promoted by 'Stop' (the preference or -ErrorAction): the error ends the script.
            record.script_terminating = True
            raise PSError(record)
        if self.action == "ignore":
            return
        self.interp.add_error(record)
        if self.action == "continue":
            if self.error_sink == "merge":
                self.sink(record)
            elif self.error_sink != "discard":
                self.interp.report(record)

    def fail(self, message, category="InvalidArgument", error_id=None, exception="System.ArgumentException"):
        """A terminating error of this command."""
        return PSError(ErrorRecord(NetException(exception, message), category,
                                   f"{error_id or 'Argument'},Microsoft.PowerShell.Commands."
                                   f"{self.name.replace('-', '')}Command", None, self.name))


# --- script functions --------------------------------------------------------------------------------

def _param_specs(interp, param_list):
    """(name, typedef or None, switch, mandatory, default node) per declared parameter."""
    from .expressions import kids, line_of, text_of
    specs = []
    if param_list is None:
        return specs
    for param in kids(param_list):
        if param.type != "script_parameter":
            continue
        typedef = None
        switch = mandatory = False
        default = None
        name = None
        for child in kids(param):
            if child.type == "attribute_list":
                for attribute in kids(child):
                    inner = kids(attribute)[0]
                    if inner.type == "type_literal":
                        type_name = interp.type_name_text(inner)
                        if type_name.lower() in ("switch", "system.management.automation.switchparameter"):
                            switch = True
                        else:
                            typedef = interp.resolve_type(type_name, inner)
                        continue
                    attr_name = text_of(inner).lower()
                    if attr_name == "parameter":
                        arguments = text_of(attribute).lower().replace(" ", "")
                        mandatory = "mandatory" in arguments and "mandatory=$false" not in arguments
                        continue
                    if attr_name in ("validatenotnullorempty", "validatenotnull", "alias", "allowemptystring",
                                     "allownull"):
                        continue
                    raise Unsupported(f"parameter attribute [{text_of(inner)}]", line_of(attribute))
            elif child.type == "variable":
                name = text_of(child)[1:]
            elif child.type == "script_parameter_default":
                default = kids(child)[0]
        specs.append((name, typedef, switch, mandatory, default))
    return specs


def bind_function_args(interp, function_name, param_list, body, args, scope, node):
    """Binds a call's arguments to a script function's (or script block's) parameters in `scope`."""
    from .expressions import kids
    if param_list is None and body is not None:
        block = next((child for child in kids(body) if child.type == "param_block"), None)
        if block is not None:
            param_list = next((child for child in kids(block) if child.type == "parameter_list"), None)
    specs = _param_specs(interp, param_list)
    params = [P(name, switch=switch, position=None if switch else i, mandatory=mandatory)
              for i, (name, _, switch, mandatory, _) in enumerate(specs)]
    bound, common, positional = bind(params, args, function_name, allow_common=False)
    extra = []
    slots = [p for p in params if p.position is not None and p.name not in bound]
    for arg in positional:
        if slots:
            bound[slots.pop(0).name] = arg.value
        else:
            extra.append(arg.value)
    saved = interp.scope
    interp.scope = scope
    try:
        bound_table = PSHashtable()
        for name, typedef, switch, mandatory, default in specs:
            if name in bound:
                value = bound[name]
                bound_table[name] = value
            elif switch:
                value = False
            elif mandatory:
                raise binding_error(function_name, f"Cannot process command because of one or more missing "
                                                   f"mandatory parameters: {name}.", "MissingMandatoryParameter")
            elif default is not None:
                value = interp.eval(default)
            else:
                value = None
                if typedef is not None and typedef.full_name == "System.String":
                    value = ""
                elif typedef is not None and typedef.full_name in ("System.Int32", "System.Int64", "System.Double"):
                    value = 0
            if typedef is not None and (name in bound or default is not None):
                try:
                    value = typedef.cast(value)
                except PSError as error:
                    raise ps_error(f"Cannot process argument transformation on parameter '{name}'. "
                                   f"{error.record.message}", "System.Management.Automation."
                                   "ParameterBindingArgumentTransformationException", "InvalidData",
                                   "ParameterArgumentTransformationError", command=function_name)
            scope.vars[name] = value
        scope.vars["args"] = extra
        scope.vars["PSBoundParameters"] = bound_table
    finally:
        interp.scope = saved


def script_block_of(value, ctx, param):
    if not isinstance(value, ScriptBlock):
        raise ctx.fail(f"Cannot bind parameter '{param}'. Cannot convert the \"{to_str(value)}\" value of type "
                       f"\"{type(value).__name__}\" to type \"System.Management.Automation.ScriptBlock\".",
                       error_id="CannotConvertArgumentNoMessage")
    return value
