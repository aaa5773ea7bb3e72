"""Pipelines, commands and calls (a mixin of the Interpreter): how a pipeline's value is taken,
assignment, command arguments and redirections, finding and running functions, cmdlets and script
blocks, and their scopes."""
import re

from . import operators
from .cmdlets import Argument, CommandContext, bind_function_args, find_cmdlet, resolve_alias
from .errors import ReturnSignal, Unsupported
from .expressions import WRAPPERS, TypeRef, anon, kids, line_of, text_of
from .parser import parse
from .values import CIDict, PSHashtable, ScriptBlock, collapse, enumerate_value, ps_error, to_str

RANGE = re.compile(r"^-?\d+\.\.-?\d+$")
NULL_REDIRECT = re.compile(r"^[*1-6]?>\$null$", re.IGNORECASE)


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


class CommandMixin:
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
