"""The tree-walking interpreter: scopes, statements, pipelines, functions, script blocks, errors.

Output flows through sinks: a sink is a function taking one object. At the top level it prints
(stdout records); inside $(...), @(...), (...) and assignments it collects into a list.
"""
import re

from . import operators
from .cmdlets import CommandContext, bind_function_args, find_cmdlet, resolve_alias
from .dotnet import build_types
from .errors import (BreakSignal, Cancelled, ContinueSignal, ExitSignal, ParseFailure, PSError, ReturnSignal,
                     Unsupported)
from .expressions import WRAPPERS, ExpressionMixin, TypeRef, anon, kids, line_of, text_of
from .formatting import Console
from .objects import Version
from .parser import parse
from .values import (CIDict, ErrorRecord, NetException, PSHashtable, ScriptBlock, collapse, enumerate_value,
                     ps_error, to_bool, to_int, to_str)

RANGE = re.compile(r"^-?\d+\.\.-?\d+$")
NULL_REDIRECT = re.compile(r"^[*1-6]?>\$null$", re.IGNORECASE)

# Exception types a `catch [T]` matches beyond T itself (a small part of .NET's hierarchy).
EXCEPTION_PARENTS = {
    "System.IO.FileNotFoundException": "System.IO.IOException",
    "System.IO.DirectoryNotFoundException": "System.IO.IOException",
    "System.IO.IOException": "System.SystemException",
    "System.UnauthorizedAccessException": "System.SystemException",
    "System.InvalidOperationException": "System.SystemException",
    "System.ArgumentOutOfRangeException": "System.ArgumentException",
    "System.ArgumentException": "System.SystemException",
    "System.FormatException": "System.SystemException",
    "System.DivideByZeroException": "System.ArithmeticException",
    "System.ArithmeticException": "System.SystemException",
    "System.NotSupportedException": "System.SystemException",
    "System.IndexOutOfRangeException": "System.SystemException",
    "System.ServiceProcess.TimeoutException": "System.SystemException",
    "Microsoft.PowerShell.Commands.ServiceCommandException": "System.SystemException",
    "System.Management.Automation.ItemNotFoundException": "System.Management.Automation.SessionStateException",
    "System.Management.Automation.SessionStateException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.PSInvalidCastException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.MethodException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.ParameterBindingException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.PropertyNotFoundException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.ActionPreferenceStopException": "System.Management.Automation.RuntimeException",
    "System.Management.Automation.RuntimeException": "System.SystemException",
    "System.SystemException": "System.Exception",
}


class Scope:
    def __init__(self, parent):
        self.parent = parent
        self.vars = CIDict()
        self.functions = CIDict()


class Function:
    def __init__(self, name, params, body, source_node):
        self.name = name
        self.params = params
        self.body = body
        self.node = source_node


class Interpreter(ExpressionMixin):
    def __init__(self, host, emit, cancel, stdin):
        self.host = host
        self.emit = emit
        self.cancel = cancel
        self.stdin = stdin
        self.global_scope = Scope(None)
        self.scope = self.global_scope
        self.types = build_types(self)
        self.console_settings = {}
        self.stdout_partial = ""
        self.console = Console()
        self.last_ok = True
        self.reported = 0
        self.try_depth = 0
        self.strict = False
        self.env = CIDict(host.environment().items())
        self.error_list = []
        defaults = {
            "ErrorActionPreference": "Continue", "WarningPreference": "Continue", "VerbosePreference":
            "SilentlyContinue", "DebugPreference": "SilentlyContinue", "ProgressPreference": "Continue",
            "InformationPreference": "SilentlyContinue", "ConfirmPreference": "High", "PID": 5012,
            "HOME": f"C:\\Users\\{host.user}", "PWD": f"C:\\Users\\{host.user}\\Documents", "PSScriptRoot": "",
            "PSCommandPath": "", "Error": self.error_list, "LASTEXITCODE": None,
            "PSVersionTable": PSHashtable([("PSVersion", Version("5.1.17763.1852")), ("PSEdition", "Desktop"),
                                           ("BuildVersion", Version("10.0.17763.1852")),
                                           ("CLRVersion", Version("4.0.30319.42000")),
                                           ("WSManStackVersion", Version("3.0")),
                                           ("PSRemotingProtocolVersion", Version("2.3")),
                                           ("SerializationVersion", Version("1.1.0.1"))]),
        }
        for name, value in defaults.items():
            self.global_scope.vars[name] = value
        self.cwd = f"C:\\Users\\{host.user}\\Documents"

    # --- the run ------------------------------------------------------------------------------------

    def run(self, text):
        """Runs a script; returns its exit code. Never raises for script problems."""
        code = 0
        try:
            tree = parse(text)
            self.trees = [tree]
            try:
                self.exec_block_node(tree.root_node, self.top_sink)
                code = 0 if self.last_ok else 1
            except PSError as error:
                self.report(error.record)
                code = 1
        except ExitSignal as signal:
            code = signal.code
        except ParseFailure as failure:
            self.flush_stdout()
            self.emit("error", "emulator: the script does not parse (tree-sitter-powershell): "
                      + "; ".join(failure.problems))
            code = 99
        except Unsupported as unsupported:
            self.flush_stdout()
            self.emit("error", unsupported.message())
            code = 99
        except Cancelled:
            code = 130
        except (BreakSignal, ContinueSignal):
            self.flush_stdout()
            self.emit("error", "emulator: unsupported break or continue outside a loop")
            code = 99
        except ReturnSignal:
            code = 0 if self.last_ok else 1
        except RecursionError:
            self.flush_stdout()
            self.emit("error", "emulator: unsupported recursion this deep")
            code = 99
        self.flush_stdout()
        return code

    def check_cancel(self):
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled()

    # --- output -------------------------------------------------------------------------------------

    def top_sink(self, value):
        for line in self.console.lines(value):
            self.write_line(line)

    def write_line(self, line):
        if self.stdout_partial:
            line = self.stdout_partial + line
            self.stdout_partial = ""
        self.emit("stdout", line)

    def console_write(self, stream, text):
        if stream == "stderr":
            self.emit("stderr", text)
            return
        text = self.stdout_partial + text.replace("\r\n", "\n")
        lines = text.split("\n")
        self.stdout_partial = lines.pop()
        for line in lines:
            self.emit("stdout", line)

    def flush_stdout(self):
        for line in self.console.finish():
            self.write_line(line)
        if self.stdout_partial:
            self.emit("stdout", self.stdout_partial)
            self.stdout_partial = ""

    def report(self, record):
        """An error record on the error stream (what powershell.exe shows for it)."""
        self.flush_stdout()
        self.reported += 1
        self.emit("error", record.display())

    def add_error(self, record):
        self.error_list.insert(0, record)

    def set_matches(self, match):
        table = PSHashtable()
        table[0] = match.group(0)
        for index in range(1, (match.re.groups or 0) + 1):
            if match.group(index) is not None:
                table[index] = match.group(index)
        for name, value in match.groupdict().items():
            if value is not None:
                table[name] = value
        self.scope.vars["Matches"] = table

    # --- variables ----------------------------------------------------------------------------------

    def lookup_variable(self, name, scope=None, local_only=False, missing_ok=False, node=None):
        scope = scope or self.scope
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            if local_only:
                break
            scope = scope.parent
        if self.strict and not missing_ok:
            raise ps_error(f"The variable '${name}' cannot be retrieved because it has not been set.",
                           "System.Management.Automation.RuntimeException", "InvalidOperation",
                           "VariableIsUndefined")
        return None

    def has_variable(self, name):
        scope = self.scope
        while scope is not None:
            if name in scope.vars:
                return True
            scope = scope.parent
        return False

    def preference(self, name):
        return to_str(self.lookup_variable(name, missing_ok=True))

    # --- statements ---------------------------------------------------------------------------------

    def exec_block_node(self, node, sink):
        """A program, script block or function body: its param block is bound by the caller."""
        if node.type == "ERROR":
            return  # an empty program (parse() refuses every other ERROR)
        for child in kids(node):
            if child.type in ("statement_list",):
                self.exec_statement_list(child, sink)
            elif child.type == "param_block":
                continue
            elif child.type in ("script_block", "script_block_body"):
                self.exec_block_node(child, sink)
            elif child.type == "named_block_list":
                self.exec_named_blocks(child, sink)
            else:
                raise Unsupported(f"'{child.type}' in a script block", line_of(child))

    def exec_named_blocks(self, node, sink):
        for block in kids(node):
            name = text_of(kids(block)[0]).lower()
            if name != "end":
                raise Unsupported(f"'{name}' block", line_of(block))
            self.exec_statement_list_of(kids(block)[1], sink)

    def exec_statement_list_of(self, block, sink):
        """The statements of a statement_block `{ ... }`."""
        for child in kids(block):
            self.exec_statement_list(child, sink)

    def exec_statement_list(self, node, sink):
        for statement in kids(node):
            self.exec_statement(statement, sink)

    def exec_statement(self, node, sink):
        self.check_cancel()
        self.host.tick()
        kind = node.type
        if kind == "empty_statement":
            return
        if kind == "function_statement":
            self.define_function(node)
            return
        handler = getattr(self, "s_" + kind, None)
        if handler is None:
            raise Unsupported(f"statement '{kind}'", line_of(node))
        try:
            handler(node, sink)
        except Unsupported as unsupported:
            if unsupported.line is None:
                unsupported.line = line_of(node)  # the innermost statement that met it
            raise
        except PSError as error:
            if error.record.script_terminating or self.try_depth > 0 or \
                    self.preference("ErrorActionPreference").lower() == "stop":
                raise
            self.add_error(error.record)
            self.report(error.record)
            self.last_ok = False

    def s_pipeline(self, node, sink):
        children = kids(node)
        if children and children[0].type == "assignment_expression":
            self.last_ok = True  # unless a command on the right fails
            self.exec_assignment(children[0])
            return
        if len(children) > 1 or any(child.type == "pipeline_chain_tail" for child in node.children):
            raise Unsupported("pipeline chain operators && and || (PowerShell 7)", line_of(node))
        self.exec_chain(children[0], sink)

    def s_flow_control_statement(self, node, sink):
        keyword = anon(node)[0]
        children = kids(node)
        if keyword == "exit":
            code = 0
            if children:
                value = self.pipeline_value(children[0])
                code = to_int(value) if value is not None else 0
            raise ExitSignal(code)
        if keyword == "return":
            if children:
                self.exec_pipeline_to(children[0], sink)
            raise ReturnSignal()
        if keyword == "throw":
            value = self.pipeline_value(children[0]) if children else None
            if isinstance(value, ErrorRecord):
                record = value
            elif value is None:
                current = self.lookup_variable("_", missing_ok=True)
                record = current if isinstance(current, ErrorRecord) and not children else \
                    ErrorRecord(NetException("System.Management.Automation.RuntimeException", "ScriptHalted"),
                                "OperationStopped", "ScriptHalted")
            else:
                message = to_str(value)
                record = ErrorRecord(NetException("System.Management.Automation.RuntimeException", message),
                                     "OperationStopped", message, value)
            record.script_terminating = True
            raise PSError(record)
        if children:
            raise Unsupported(f"{keyword} with a label", line_of(node))
        if keyword == "break":
            raise BreakSignal()
        if keyword == "continue":
            raise ContinueSignal()
        raise Unsupported(f"'{keyword}'", line_of(node))

    def s_if_statement(self, node, sink):
        condition = node.child_by_field_name("condition")
        blocks = [child for child in kids(node) if child.type == "statement_block"]
        if to_bool(self.pipeline_value(condition)):
            self.exec_statement_list_of(blocks[0], sink)
            return
        for child in kids(node):
            if child.type == "elseif_clauses":
                for clause in kids(child):
                    if to_bool(self.pipeline_value(clause.child_by_field_name("condition"))):
                        self.exec_statement_list_of(kids(clause)[-1], sink)
                        return
            elif child.type == "else_clause":
                self.exec_statement_list_of(kids(child)[0], sink)
                return

    def loop_body(self, block, sink):
        """Runs one iteration; returns False when the loop must stop (break)."""
        try:
            self.exec_statement_list_of(block, sink)
        except BreakSignal:
            return False
        except ContinueSignal:
            pass
        return True

    def s_while_statement(self, node, sink):
        condition = node.child_by_field_name("condition")
        block = kids(node)[-1]
        while to_bool(self.pipeline_value(condition)):
            self.check_cancel()
            self.host.tick()
            if not self.loop_body(block, sink):
                break

    def s_do_statement(self, node, sink):
        condition = node.child_by_field_name("condition")
        block = kids(node)[0]
        until = "until" in anon(node)
        while True:
            self.check_cancel()
            self.host.tick()
            if not self.loop_body(block, sink):
                break
            result = to_bool(self.pipeline_value(condition))
            if result == until:
                break

    def s_for_statement(self, node, sink):
        init = node.child_by_field_name("for_initializer")
        condition = node.child_by_field_name("for_condition")
        iterator = node.child_by_field_name("for_iterator")
        block = kids(node)[-1]
        if init is not None:
            self.exec_pipeline_to(kids(init)[0], sink)
        while condition is None or to_bool(self.pipeline_value(kids(condition)[0])):
            self.check_cancel()
            self.host.tick()
            if not self.loop_body(block, sink):
                break
            if iterator is not None:
                self.exec_pipeline_to(kids(iterator)[0], lambda value: None)

    def s_foreach_statement(self, node, sink):
        children = kids(node)
        if children[0].type == "foreach_parameter":
            raise Unsupported("foreach -parallel", line_of(node))
        variable, collection, block = children[0], children[1], children[2]
        items = self.pipeline_value(collection)
        for item in ([] if items is None else enumerate_value(items)):
            self.check_cancel()
            self.host.tick()
            self.set_variable_text(text_of(variable)[1:], item, variable)
            if not self.loop_body(block, sink):
                break

    def s_switch_statement(self, node, sink):
        options = []
        condition = body = None
        for child in kids(node):
            if child.type == "switch_parameters":
                options = [text_of(option).lower() for option in kids(child)]
            elif child.type == "switch_condition":
                if "-file" in anon(child):
                    raise Unsupported("switch -file", line_of(child))
                condition = kids(child)[0]
            elif child.type == "switch_body":
                body = child
        if any(option not in ("-regex", "-wildcard", "-exact", "-casesensitive") for option in options):
            raise Unsupported(f"switch {' '.join(options)}", line_of(node))
        clauses = [kids(clause) for part in kids(body) for clause in kids(part)] if body is not None else []
        value = self.pipeline_value(condition)
        case_sensitive = "-casesensitive" in options
        saved = self.scope.vars.get("_")
        try:
            for item in enumerate_value(value):
                matched = False
                try:
                    for clause_condition, block in ((c[0], c[-1]) for c in clauses):
                        if text_of(clause_condition).lower() == "default":
                            continue
                        self.scope.vars["_"] = item
                        if self.switch_matches(clause_condition, item, options, case_sensitive):
                            matched = True
                            self.scope.vars["_"] = item
                            self.exec_statement_list_of(block, sink)
                    if not matched:
                        for clause_condition, block in ((c[0], c[-1]) for c in clauses):
                            if text_of(clause_condition).lower() == "default":
                                self.scope.vars["_"] = item
                                self.exec_statement_list_of(block, sink)
                except ContinueSignal:
                    continue
        except BreakSignal:
            pass
        finally:
            self.scope.vars["_"] = saved

    def switch_matches(self, condition, item, options, case_sensitive):
        node = condition
        while (node.type in WRAPPERS or node.type == "switch_clause_condition") and len(kids(node)) == 1:
            node = kids(node)[0]
        if node.type == "script_block_expression":
            self.scope.vars["_"] = item
            return to_bool(collapse(self.collect_block(ScriptBlock(node, text_of(node)[1:-1]))))
        pattern = text_of(node) if node.type == "switch_clause_condition" else self.eval(node)
        if "-regex" in options:
            match = operators.net_regex(to_str(pattern), case_sensitive).search(to_str(item))
            if match:
                self.set_matches(match)
            return match is not None
        if "-wildcard" in options:
            return operators.wildcard_match(to_str(pattern), to_str(item), case_sensitive)
        return operators.ps_equals(item, pattern, case_sensitive)

    def s_try_statement(self, node, sink):
        children = kids(node)
        body = children[0]
        catches = []
        final = None
        for child in children[1:]:
            if child.type == "catch_clauses":
                catches = kids(child)
            elif child.type == "finally_clause":
                final = kids(child)[0]
        try:
            self.try_depth += 1
            try:
                self.exec_statement_list_of(body, sink)
            finally:
                self.try_depth -= 1
        except PSError as error:
            clause = self.matching_catch(catches, error.record)
            if clause is None:
                raise
            self.add_error(error.record)
            saved = self.scope.vars.get("_")
            self.scope.vars["_"] = error.record
            try:
                self.exec_statement_list_of(kids(clause)[-1], sink)
            finally:
                self.scope.vars["_"] = saved
        finally:
            if final is not None:
                self.exec_statement_list_of(final, sink)

    def matching_catch(self, catches, record):
        for clause in catches:
            types = [child for child in kids(clause) if child.type == "catch_type_list"]
            if not types:
                return clause
            for type_node in kids(types[0]):
                name = self.type_name_text(type_node).lower()
                wanted = name if name.startswith("system.") or name.startswith("microsoft.") else "system." + name
                current = record.exception.type_name
                while current:
                    if current.lower() == wanted:
                        return clause
                    current = EXCEPTION_PARENTS.get(current, "System.Exception" if current != "System.Exception"
                                                    else None)
        return None

    def define_function(self, node):
        children = kids(node)
        name = text_of(children[0])
        if anon(node)[0] != "function":
            raise Unsupported(f"'{anon(node)[0]}' definitions", line_of(node))
        params = None
        body = None
        for child in children[1:]:
            if child.type == "function_parameter_declaration":
                params = kids(child)[0] if kids(child) else None
            elif child.type == "script_block":
                body = child
        self.scope.functions[name] = Function(name, params, body, node)

    def find_function(self, name):
        scope = self.scope
        while scope is not None:
            if name in scope.functions:
                return scope.functions[name]
            scope = scope.parent
        return None

    # --- pipelines ----------------------------------------------------------------------------------

    def pipeline_value(self, node):
        """The value of a pipeline used as an expression: a pure expression keeps its value (an array
        stays an array); command output is collapsed ($null, the one object, or an array)."""
        inner = node
        if inner.type == "pipeline":
            children = kids(inner)
            if len(children) == 1 and children[0].type == "assignment_expression":
                return self.exec_assignment(children[0])
            if len(children) == 1:
                inner = children[0]
        if inner.type == "pipeline_chain":
            parts = kids(inner)
            if len(parts) == 1 and parts[0].type != "command":
                return self.eval(parts[0])
        elif inner.type != "pipeline":
            return self.eval(inner)
        items = []
        self.exec_pipeline_to(node, items.append)
        return collapse(items)

    def statement_value(self, node):
        """The value of a statement on the right of `=` (or in a hashtable entry)."""
        if node.type == "pipeline":
            return self.pipeline_value(node)
        items = []
        self.exec_statement(node, items.append)
        return collapse(items)

    def exec_pipeline_to(self, node, sink):
        if node.type == "pipeline":
            self.s_pipeline(node, sink)
        elif node.type == "pipeline_chain":
            self.exec_chain(node, sink)
        else:
            for item in enumerate_value(self.eval(node)):
                sink(item)

    def exec_assignment(self, node):
        target, op_node = kids(node)[0], kids(node)[1]
        op = text_of(op_node)
        value = self.statement_value(node.child_by_field_name("value"))
        if op != "=":
            if op == "!=":
                raise Unsupported("assignment operator '!='", line_of(node))
            current = self.eval(target)
            value = operators.ARITHMETIC[op[0]](current, value)
        self.assign_to(target, value)
        return value

    def exec_chain(self, node, sink):
        parts = [child for child in kids(node)]
        commands = [part for part in parts if part.type == "command"]
        head = parts[0]
        redirections = [part for part in parts if part.type == "redirections"]
        if any(part.type == "verbatim_command_argument" for part in parts):
            raise Unsupported("--% (stop parsing)", line_of(node))
        if head.type != "command":
            value = self.eval(head)
            stages = commands
            if redirections:
                sink = self.expression_redirect(redirections[0], sink)
            if not stages:
                self.last_ok = True
                if self.is_silent_expression(head, value):
                    return
                for item in enumerate_value(value):
                    sink(item)
                return
            items = enumerate_value(value)
        else:
            stages = commands
            items = None
        ok = True
        for index, command in enumerate(stages):
            last = index == len(stages) - 1
            collected = []
            ok = self.invoke_command(command, items, sink if last else collected.append) and ok
            items = collected
        self.last_ok = ok

    def is_silent_expression(self, node, value):
        """Statements that write nothing: increments, [void] casts, and method calls that return nothing."""
        inner = node
        while (inner.type in WRAPPERS or inner.type == "expression_with_unary_operator") and \
                len(kids(inner)) == 1 and not anon(inner):
            inner = kids(inner)[0]
        if inner.type in ("post_increment_expression", "post_decrement_expression", "pre_increment_expression",
                          "pre_decrement_expression"):
            return True
        if value is not None:
            return False
        if inner.type == "invokation_expression":
            return True
        if inner.type == "cast_expression":
            return self.type_name_text(kids(inner)[0]).lower() in ("void", "system.void")
        return False

    def expression_redirect(self, node, sink):
        for redirection in kids(node):
            kind, target = self.redirection(redirection)
            if kind in ("1", "*") and target == "$null":
                sink = (lambda value: None)
            elif kind == "2" and target == "$null":
                continue
            else:
                raise Unsupported(f"redirection '{text_of(redirection)}'", line_of(redirection))
        return sink

    def redirection(self, node):
        text = text_of(node).replace(" ", "")
        if text in ("2>&1", "*>&1"):
            return "merge", None
        for prefix, kind in (("*>", "*"), ("2>", "2"), ("1>", "1"), (">", "1")):
            if text.startswith(prefix) and not text.startswith(prefix + ">"):
                return kind, text[len(prefix):]
        raise Unsupported(f"redirection '{text}'", line_of(node))

    # --- commands -----------------------------------------------------------------------------------

    def invoke_command(self, node, items, sink):
        """Runs one command of a pipeline; returns whether it succeeded ($?)."""
        name_node = node.child_by_field_name("command_name")
        elements = node.child_by_field_name("command_elements")
        op_nodes = [child for child in kids(node) if child.type == "command_invokation_operator"]
        operator = text_of(op_nodes[0]) if op_nodes else None
        args, redirects = self.command_arguments(elements)
        error_sink = None
        for kind, target in redirects:
            if kind in ("1", "*") and target == "$null":
                sink = (lambda value: None)
            elif kind == "2" and target == "$null":
                error_sink = "discard"
            elif kind == "merge":
                error_sink = "merge"
            else:
                raise Unsupported(f"redirection to '{target}'", line_of(node))
        if operator is not None:
            target = self.eval(name_node)
            if isinstance(target, ScriptBlock):
                written = self.reported
                self.invoke_scriptblock(target, [a.value for a in args if a.kind == "value"], sink,
                                        new_scope=operator == "&", named=args, input_items=items)
                # A script block or function "failed" ($? false) when it wrote an error.
                return self.reported == written
            if isinstance(target, TypeRef):
                raise Unsupported("invoking a type", line_of(node))
            name = to_str(target)
        else:
            name = text_of(name_node)
            bare = elements is None or all(child.type == "command_argument_sep" for child in kids(elements))
            if bare and items is None and RANGE.match(name):
                # tree-sitter-powershell reads a range at the start of a pipeline as a command name;
                # PowerShell reads it as the range expression it is.
                start, stop = (int(part) for part in name.split(".."))
                for number in range(start, stop + (1 if stop >= start else -1), 1 if stop >= start else -1):
                    sink(number)
                return True
        function = self.find_function(name)
        if function is not None:
            if items is not None:
                raise Unsupported(f"pipeline input to function '{name}'", line_of(node))
            written = self.reported
            self.call_function(function, args, sink, node)
            return self.reported == written
        cmdlet = find_cmdlet(resolve_alias(name))
        if cmdlet is None:
            if "\\" in name or name.lower().endswith((".exe", ".cmd", ".bat", ".ps1")):
                raise Unsupported(f"external program '{name}'", line_of(node))
            raise Unsupported(f"command '{name}'", line_of(node))
        context = CommandContext(self, cmdlet, node, sink, error_sink)
        return context.run(args, items)

    def command_arguments(self, elements):
        """Arguments of a command: ('param', name, explicit_value_follows) and ('value', value) items."""
        from .cmdlets import Argument
        args = []
        redirects = []
        if elements is None:
            return args, redirects
        children = elements.children
        for child in children:
            kind = child.type
            if kind == "command_argument_sep":
                if text_of(child) == ":" and args and args[-1].kind == "param":
                    args[-1].explicit = True
                continue
            if kind == "comment" or not child.is_named:
                continue
            if kind == "command_parameter":
                text = text_of(child)
                if text == "--":
                    args.append(Argument("endofparams"))
                else:
                    args.append(Argument("param", name=text.lstrip("-").rstrip(":"),
                                         explicit=text.endswith(":")))
                continue
            if kind == "redirection":
                redirects.append(self.redirection(child))
                continue
            if kind == "stop_parsing":
                raise Unsupported("--% (stop parsing)", line_of(child))
            if kind == "argument_list":
                raise Unsupported("a method-call argument list after a command argument", line_of(child))
            if kind == "generic_token":
                text = text_of(child)
                if NULL_REDIRECT.match(text):
                    # tree-sitter-powershell reads `2>$null` (no blank) as a bare word; PowerShell as a redirection.
                    redirects.append(self.redirection(child))
                    continue
                if "$" in text or "`" in text:
                    raise Unsupported(f"bareword argument with expansion '{text}'", line_of(child))
                args.append(Argument("value", value=text, node=child, bareword=True))
                continue
            splat = self.splat_node(child)
            if splat is not None:
                value = self.read_variable(text_of(splat)[1:], splat)
                if isinstance(value, PSHashtable):
                    for key, item in value.items():
                        args.append(Argument("param", name=to_str(key), explicit=True))
                        args.append(Argument("value", value=item, node=child))
                elif isinstance(value, list):
                    args.extend(Argument("value", value=item, node=child) for item in value)
                else:
                    raise ps_error("Splatted value must be a hashtable or an array.", category="InvalidArgument")
                continue
            args.append(Argument("value", value=self.eval(child), node=child))
        return args, redirects

    def splat_node(self, node):
        inner = node
        while inner.type in WRAPPERS and len(kids(inner)) == 1 and not anon(inner):
            inner = kids(inner)[0]
        if inner.type == "variable" and text_of(inner).startswith("@"):
            return inner
        return None

    # --- functions and script blocks ----------------------------------------------------------------

    def call_function(self, function, args, sink, node):
        scope = Scope(self.scope)
        saved = self.scope
        bind_function_args(self, function.name, function.params, function.body, args, scope, node)
        self.scope = scope
        try:
            if function.body is not None:
                self.exec_block_node(function.body, sink)
        except ReturnSignal:
            pass
        finally:
            self.scope = saved

    def create_scriptblock(self, text):
        tree = parse(text)
        self.trees.append(tree)
        return ScriptBlock(tree.root_node, text)

    def invoke_scriptblock(self, block, positional, sink, new_scope=True, named=None, input_items=None,
                           dollar_under=None, set_under=False):
        node = block.node
        params = None
        body = node
        if node.type == "script_block_expression":
            for child in kids(node):
                if child.type == "param_block":
                    params = child
                elif child.type == "script_block":
                    body = child
        elif node.type == "program":
            params = next((child for child in kids(node) if child.type == "param_block"), None)
        if body is not node and params is None:
            params = next((child for child in kids(body) if child.type == "param_block"), None)
        saved = self.scope
        scope = Scope(self.scope) if new_scope else self.scope
        from .cmdlets import Argument
        arguments = named if named is not None else [Argument("value", value=v) for v in positional]
        if params is not None or new_scope:
            param_list = None
            if params is not None:
                param_list = next((child for child in kids(params) if child.type == "parameter_list"), None)
            bind_function_args(self, "<scriptblock>", param_list, None, arguments, scope, node)
        if set_under:
            scope.vars["_"] = dollar_under
        if input_items is not None:
            scope.vars["input"] = list(input_items)
        self.scope = scope
        try:
            if body is not None:
                self.exec_block_node(body, sink)
        except ReturnSignal:
            pass
        finally:
            self.scope = saved

    def collect_block(self, block):
        """Runs a filter/sort/select script block in the current scope ($_ already set); its output."""
        items = []
        body = block.node
        if body.type == "script_block_expression":
            body = next((child for child in kids(body) if child.type == "script_block"), None)
        try:
            if body is not None:
                self.exec_block_node(body, items.append)
        except ReturnSignal:
            pass
        return items
