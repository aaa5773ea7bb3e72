"""The tree-walking interpreter: the run, output, variables, statements and errors (expressions
are in expressions.py, pipelines and commands in commands.py).

Output flows through sinks: a sink is a function taking one object. At the top level it prints
(stdout records); inside $(...), @(...), (...) and assignments it collects into a list.
"""
from . import operators
from .dotnet import build_types
from .errors import (BreakSignal, Cancelled, ContinueSignal, ExitSignal, ParseFailure, PSError, ReturnSignal,
                     Unsupported)
from .commands import CommandMixin, Function, Scope
from .expressions import WRAPPERS, ExpressionMixin, anon, kids, line_of, text_of
from .formatting import Console
from .objects import Version
from .parser import parse
from .values import (CIDict, ErrorRecord, NetException, PSHashtable, ScriptBlock, collapse, enumerate_value,
                     ps_error, to_bool, to_int, to_str)

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


class Interpreter(ExpressionMixin, CommandMixin):
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
        self.trees = []  # every parsed tree stays alive for the run (node ids are kept below)
        self.unwrapped = {}  # node id -> the node its wrapper chain stands for
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
            self.trees.append(tree)
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
