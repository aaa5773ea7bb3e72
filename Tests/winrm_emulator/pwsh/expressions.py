"""Expression evaluation (a mixin of the Interpreter): literals, strings with interpolation,
variables, operators, casts, member access and method calls, arrays and hashtables."""
import re

from . import operators
from .dotnet import is_instance
from .errors import Unsupported
from .formatting import format_operator
from .members import call_method, get_member, set_member
from .values import (DotNetObject, PSHashtable, PSObject, ScriptBlock, collapse, enumerate_value,
                     ps_error, to_bool, to_int, to_number, to_str)

WRAPPERS = {
    "logical_expression", "bitwise_expression", "comparison_expression", "additive_expression",
    "multiplicative_expression", "format_expression", "range_expression", "array_literal_expression",
    "unary_expression", "argument_expression", "logical_argument_expression", "bitwise_argument_expression",
    "comparison_argument_expression", "additive_argument_expression", "multiplicative_argument_expression",
    "format_argument_expression", "range_argument_expression", "left_assignment_expression", "string_literal",
    "integer_literal", "key_expression", "for_condition", "for_initializer", "for_iterator", "while_condition",
    "label_expression", "command_name_expr",
}

ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "e": "\x1b"}
SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"
MULTIPLIERS = {"kb": 2**10, "mb": 2**20, "gb": 2**30, "tb": 2**40, "pb": 2**50}


class TypeRef:
    """A [type] used as a value (for -is, -as and static members)."""

    def __init__(self, typedef):
        self.typedef = typedef
        self.type_name = "System.RuntimeType"


def kids(node):
    """Named children without comments."""
    return [child for child in node.named_children if child.type != "comment"]


def text_of(node):
    return node.text.decode("utf-8")


def line_of(node):
    return node.start_point[0] + 1


def anon(node):
    """The anonymous (operator/keyword) tokens of a node, lower case."""
    return [child.type.lower() for child in node.children if not child.is_named]


def decode_verbatim(text):
    body = text[1:-1]
    out = []
    i = 0
    while i < len(body):
        char = body[i]
        if char in SINGLE_QUOTES and i + 1 < len(body) and body[i + 1] in SINGLE_QUOTES:
            out.append(body[i + 1])
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def unescape(text):
    """Backtick escapes and doubled quotes in the literal parts of a double-quoted string."""
    out = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "`" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "u" and i + 2 < len(text) and text[i + 2] == "{":
                end = text.index("}", i)
                out.append(chr(int(text[i + 3:end], 16)))
                i = end + 1
                continue
            out.append(ESCAPES.get(nxt, nxt))
            i += 2
            continue
        if char == '"' and i + 1 < len(text) and text[i + 1] == '"':
            out.append('"')
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


class ExpressionMixin:
    # --- entry points -------------------------------------------------------------------------------

    def unwrap(self, node):
        """The node a chain of one-child wrappers (logical_expression > … > unary_expression) stands
        for; remembered per node, as every expression goes through ten of them."""
        cache = self.unwrapped
        inner = cache.get(node.id)
        if inner is None:
            inner = node
            while inner.type in WRAPPERS:
                children = kids(inner)
                if len(children) != 1 or anon(inner):
                    break
                inner = children[0]
            cache[node.id] = inner
        return inner

    def eval(self, node):
        node = self.unwrap(node)
        handler = getattr(self, "x_" + node.type, None)
        if handler is not None:
            return handler(node)
        if node.type in WRAPPERS:
            children = kids(node)
            if len(children) == 1 and not anon(node):
                return self.eval(children[0])
            if node.type.endswith("argument_expression") and node.type != "argument_expression":
                return self.binary(node)
            if node.type in ("logical_expression", "bitwise_expression", "comparison_expression",
                             "additive_expression", "multiplicative_expression", "format_expression",
                             "range_expression"):
                return self.binary(node)
            if node.type == "array_literal_expression":
                return [self.eval(child) for child in children]
            if len(children) == 1:
                return self.eval(children[0])
        raise Unsupported(f"expression '{node.type}'", line_of(node))

    def x_path_command_name(self, node):
        parts = kids(node)
        if len(parts) == 1 and parts[0].type == "variable":
            return self.eval(parts[0])
        return text_of(node)

    def x_pipeline(self, node):
        return self.pipeline_value(node)

    def x_pipeline_chain(self, node):
        return self.pipeline_value(node)

    # --- literals ---------------------------------------------------------------------------------

    def x_decimal_integer_literal(self, node):
        text = text_of(node).lower()
        multiplier = 1
        for suffix, factor in MULTIPLIERS.items():
            if text.endswith(suffix):
                text, multiplier = text[:-2], factor
        if text.endswith("d"):
            return float(text[:-1]) * multiplier
        return int(text.rstrip("l")) * multiplier

    def x_hexadecimal_integer_literal(self, node):
        text = text_of(node).lower()
        multiplier = 1
        for suffix, factor in MULTIPLIERS.items():
            if text.endswith(suffix):
                text, multiplier = text[:-2], factor
        value = int(text.rstrip("l"), 16)
        if not text.endswith("l") and 2**31 <= value < 2**32:
            value -= 2**32
        return value * multiplier

    def x_real_literal(self, node):
        text = text_of(node).lower()
        multiplier = 1
        for suffix, factor in MULTIPLIERS.items():
            if text.endswith(suffix):
                text, multiplier = text[:-2], factor
        value = float(text) * multiplier
        return value

    def x_verbatim_string_characters(self, node):
        return decode_verbatim(text_of(node))

    def x_verbatim_here_string_characters(self, node):
        text = text_of(node).replace("\r\n", "\n")
        first = text.index("\n") + 1
        last = text.rindex("\n")
        return text[first:last] if last >= first else ""

    def x_expandable_string_literal(self, node):
        return self.interpolate(node, 1, 1)

    def x_expandable_here_string_literal(self, node):
        raw = node.text
        first = raw.index(b"\n") + 1
        last = raw.rindex(b"\n")
        if last > 0 and raw[last - 1:last] == b"\r":
            last -= 1
        return self.interpolate(node, first, len(raw) - last).replace("\r\n", "\n")

    def interpolate(self, node, head, tail):
        """A double-quoted string: literal parts unescaped, $var and $(...) expanded."""
        raw = node.text
        base = node.start_byte
        position = head
        end = len(raw) - tail
        out = []
        for child in kids(node):
            start = child.start_byte - base
            if start < position:
                continue
            out.append(unescape(raw[position:start].decode("utf-8")))
            if child.type == "variable":
                out.append(to_str(self.x_variable(child), self.ofs()))
            elif child.type == "sub_expression":
                out.append(to_str(self.x_sub_expression(child), self.ofs()))
            else:
                raise Unsupported(f"'{child.type}' inside a string", line_of(child))
            position = child.end_byte - base
        out.append(unescape(raw[position:end].decode("utf-8")))
        return "".join(out)

    def ofs(self):
        value = self.lookup_variable("OFS", missing_ok=True)
        return " " if value is None else to_str(value)

    # --- variables ----------------------------------------------------------------------------------

    def x_variable(self, node):
        text = text_of(node)
        if text.startswith("@"):
            raise Unsupported("splatting outside a command argument", line_of(node))
        return self.read_variable(text[1:], node)

    def read_variable(self, name, node=None):
        if name.startswith("{") and name.endswith("}"):
            name = name[1:-1]
        lower = name.lower()
        if lower == "true":
            return True
        if lower == "false":
            return False
        if lower == "null":
            return None
        if lower == "?":
            return self.last_ok
        if lower in ("$", "^"):
            raise Unsupported(f"automatic variable ${name}", line_of(node) if node else None)
        if lower in ("myinvocation", "host", "input", "executioncontext", "pscmdlet"):
            raise Unsupported(f"automatic variable ${name}", line_of(node) if node else None)
        if ":" in name:
            prefix, _, rest = name.partition(":")
            prefix = prefix.lower()
            if prefix == "env":
                return self.env.get(rest)
            if prefix in ("script", "global"):
                return self.lookup_variable(rest, scope=self.global_scope, node=node)
            if prefix in ("local", "private"):
                return self.lookup_variable(rest, scope=self.scope, local_only=True, node=node)
            raise Unsupported(f"variable drive or scope '{prefix}:'", line_of(node) if node else None)
        if lower == "psitem":
            name = "_"
        return self.lookup_variable(name, node=node)

    # --- operators ----------------------------------------------------------------------------------

    def binary(self, node):
        children = node.children
        left_node = children[0]
        op_node = children[1]
        right_node = children[2]
        op = text_of(op_node).lower() if op_node.is_named else op_node.type.lower()
        if op in ("-and", "-or"):
            left = to_bool(self.eval(left_node))
            if op == "-and" and not left:
                return False
            if op == "-or" and left:
                return True
            return to_bool(self.eval(right_node))
        left = self.eval(left_node)
        if op == "-xor":
            return to_bool(left) != to_bool(self.eval(right_node))
        if op in ("-is", "-isnot", "-as"):
            target = self.eval(right_node)
            typedef = target.typedef if isinstance(target, TypeRef) else self.resolve_type(to_str(target), node)
            if op == "-as":
                try:
                    return typedef.cast(left) if typedef.cast else None
                except Exception:
                    return None
            result = left is not None and is_instance(typedef, left)
            return result if op == "-is" else not result
        right = self.eval(right_node)
        if op in operators.ARITHMETIC:
            return operators.ARITHMETIC[op](left, right)
        if op == "..":
            start, stop = to_int(left), to_int(right)
            step = 1 if stop >= start else -1
            return list(range(start, stop + step, step))
        if op == "-f":
            return format_operator(to_str(left), enumerate_value(right))
        if op in ("-band", "-bor", "-bxor"):
            a, b = to_int(left, "System.Int64"), to_int(right, "System.Int64")
            return {"-band": a & b, "-bor": a | b, "-bxor": a ^ b}[op]
        if op in ("-shl", "-shr"):
            return to_int(left) << to_int(right) if op == "-shl" else to_int(left) >> to_int(right)
        if op.startswith("-"):
            return operators.compare(op[1:], left, right, self)
        raise Unsupported(f"operator '{op}'", line_of(node))

    def x_expression_with_unary_operator(self, node):
        children = kids(node)
        tokens = anon(node)
        if not tokens:
            return self.eval(children[0])
        op = tokens[0]
        value = self.eval(children[-1])
        if op == ",":
            return [value]
        if op in ("-not", "!"):
            return not to_bool(value)
        if op == "-":
            return operators.negate(value)
        if op == "+":
            return to_number(value)
        if op == "-bnot":
            return ~to_int(value, "System.Int64")
        if op == "-split":
            return operators.unary_split(value)
        if op == "-join":
            return "".join(to_str(item) for item in enumerate_value(value))
        raise Unsupported(f"unary operator '{op}'", line_of(node))

    def x_cast_expression(self, node):
        type_node, operand = kids(node)
        name = self.type_name_text(type_node)
        inner = operand
        while inner.type in WRAPPERS and len(kids(inner)) == 1 and not anon(inner):
            inner = kids(inner)[0]
        lower = name.lower()
        if lower in ("pscustomobject", "system.management.automation.pscustomobject") and \
                inner.type == "hash_literal_expression":
            return PSObject(self.x_hash_literal_expression(inner).items())
        if lower in ("ordered", "system.collections.specialized.ordereddictionary"):
            if inner.type != "hash_literal_expression":
                raise Unsupported("[ordered] on something other than a hashtable literal", line_of(node))
            return PSHashtable(self.x_hash_literal_expression(inner).items(), ordered=True)
        typedef = self.resolve_type(name, node)
        value = self.eval(operand)
        if typedef.cast is None:
            raise Unsupported(f"cast to [{typedef.full_name}]", line_of(node))
        return typedef.cast(value)

    def x_pre_increment_expression(self, node):
        return self.increment(kids(node)[0], 1, prefix=True)

    def x_pre_decrement_expression(self, node):
        return self.increment(kids(node)[0], -1, prefix=True)

    def x_post_increment_expression(self, node):
        return self.increment(kids(node)[0], 1, prefix=False)

    def x_post_decrement_expression(self, node):
        return self.increment(kids(node)[0], -1, prefix=False)

    def increment(self, target, delta, prefix):
        old = self.eval(target)
        new = operators.add(to_number(old), delta)
        self.assign_to(target, new)
        return new if prefix else old

    # --- compound values ------------------------------------------------------------------------------

    def x_parenthesized_expression(self, node):
        return self.pipeline_value(kids(node)[0])

    def x_sub_expression(self, node):
        items = []
        for child in kids(node):
            self.exec_statement_list(child, items.append)
        return collapse(items)

    def x_array_expression(self, node):
        items = []
        for child in kids(node):
            self.exec_statement_list(child, items.append)
        return items

    def x_hash_literal_expression(self, node):
        table = PSHashtable()
        for body in kids(node):
            for entry in kids(body):
                key_node, value_node = kids(entry)[0], kids(entry)[-1]
                inner = kids(key_node)[0] if key_node.type == "key_expression" else key_node
                key = text_of(inner) if inner.type == "simple_name" else self.eval(key_node)
                if key in table:
                    raise ps_error(f"Duplicate keys '{to_str(key)}' are not allowed in hash literals.",
                                   "System.Management.Automation.ParseException", "ParserError")
                table[key] = self.statement_value(value_node)
        return table

    def x_script_block_expression(self, node):
        return ScriptBlock(node, text_of(node)[1:-1])

    def x_type_literal(self, node):
        return TypeRef(self.resolve_type(self.type_name_text(node), node))

    def type_name_text(self, type_node):
        spec = kids(type_node)[0]
        return re.sub(r"\s+", "", text_of(spec))

    def resolve_type(self, name, node=None):
        lower = name.lower()
        typedef = self.types.get(lower) or self.types.get("system." + lower)
        if typedef is None:
            raise Unsupported(f"type [{name}]", line_of(node) if node is not None else None)
        return typedef

    # --- members ------------------------------------------------------------------------------------

    def member_name(self, node):
        inner = kids(node)[0]
        if inner.type == "simple_name":
            return text_of(inner)
        return to_str(self.eval(inner))

    def is_static(self, node):
        return "::" in anon(node)

    def x_member_access(self, node):
        target_node, name_node = kids(node)[0], kids(node)[-1]
        name = self.member_name(name_node)
        target = self.eval(target_node)
        if self.is_static(node):
            if not isinstance(target, TypeRef):
                raise Unsupported("'::' on something other than a type", line_of(node))
            return target.typedef.get_static(name, self)
        if isinstance(target, TypeRef):
            raise Unsupported(f"instance member '{name}' of a type object", line_of(node))
        value = get_member(target, name)
        if value is None and self.strict and isinstance(target, PSObject) and name not in target.props:
            raise ps_error(f"The property '{name}' cannot be found on this object. Verify that the property "
                           f"exists.", "System.Management.Automation.PropertyNotFoundException",
                           "NotSpecified", "PropertyNotFoundStrict")
        return value

    def x_invokation_expression(self, node):
        children = kids(node)
        if children[0].type == "invokation_foreach_expression":
            raise Unsupported("the .foreach{} method syntax", line_of(node))
        target_node, name_node, args_node = children[0], children[1], children[2]
        name = self.member_name(name_node)
        target = self.eval(target_node)
        args = self.arguments(args_node)
        if self.is_static(node):
            if not isinstance(target, TypeRef):
                raise Unsupported("'::' on something other than a type", line_of(node))
            return target.typedef.call_static(name, args, self)
        if isinstance(target, ScriptBlock) and name.lower() in ("invoke", "invokereturnasis"):
            items = []
            self.invoke_scriptblock(target, args, items.append)
            return collapse(items)
        if isinstance(target, TypeRef):
            raise Unsupported(f"method '{name}' of a type object", line_of(node))
        return call_method(target, name, args)

    def arguments(self, node):
        args = []
        for child in kids(node):
            if child.type == "argument_expression_list":
                args.extend(self.eval(item) for item in kids(child))
        return args

    def x_element_access(self, node):
        target_node, index_node = kids(node)
        target = self.eval(target_node)
        index = self.eval(index_node)
        return self.index_value(target, index, node)

    def index_value(self, target, index, node):
        if target is None:
            raise ps_error("Cannot index into a null array.", category="InvalidOperation", error_id="NullArray")
        if isinstance(index, list) and not isinstance(target, PSHashtable):
            return [self.index_value(target, item, node) for item in index]
        if isinstance(target, PSHashtable):
            return target.get(index)
        if isinstance(target, (list, str)):
            position = to_int(index)
            if -len(target) <= position < len(target):
                return target[position]
            return None
        if isinstance(target, (PSObject, DotNetObject)) or not isinstance(target, (list, str)):
            position = to_int(index)
            return target if position in (0, -1) else None
        raise Unsupported("indexing this value", line_of(node))

    # --- assignment -----------------------------------------------------------------------------------

    def assign_to(self, target, value):
        while target.type in WRAPPERS and len(kids(target)) == 1 and not anon(target):
            target = kids(target)[0]
        if target.type == "variable":
            self.set_variable_text(text_of(target)[1:], value, target)
        elif target.type == "member_access":
            obj_node, name_node = kids(target)[0], kids(target)[-1]
            name = self.member_name(name_node)
            obj = self.eval(obj_node)
            if self.is_static(target):
                if not isinstance(obj, TypeRef):
                    raise Unsupported("'::' on something other than a type", line_of(target))
                obj.typedef.set_static(name, value, self)
            else:
                set_member(obj, name, value)
        elif target.type == "element_access":
            obj_node, index_node = kids(target)
            obj = self.eval(obj_node)
            index = self.eval(index_node)
            if isinstance(obj, PSHashtable):
                obj[index] = value
            elif isinstance(obj, list):
                position = to_int(index)
                if not -len(obj) <= position < len(obj):
                    raise ps_error("Index was outside the bounds of the array.", "System.IndexOutOfRangeException",
                                   "InvalidOperation", "IndexOutOfRange")
                obj[position] = value
            elif obj is None:
                raise ps_error("Cannot index into a null array.", category="InvalidOperation", error_id="NullArray")
            else:
                raise Unsupported("assigning to an element of this value", line_of(target))
        elif target.type == "expression_with_unary_operator" and kids(target)[0].type == "cast_expression":
            cast = kids(target)[0]
            type_node, var_node = kids(cast)
            typedef = self.resolve_type(self.type_name_text(type_node), cast)
            self.assign_to(var_node, typedef.cast(value))
        elif target.type == "cast_expression":
            type_node, var_node = kids(target)
            typedef = self.resolve_type(self.type_name_text(type_node), target)
            self.assign_to(var_node, typedef.cast(value))
        elif target.type == "array_literal_expression":
            targets = kids(target)
            items = enumerate_value(value)
            for i, item_target in enumerate(targets):
                if i == len(targets) - 1:
                    rest = items[i:]
                    self.assign_to(item_target, collapse(rest) if len(rest) != 1 else rest[0])
                else:
                    self.assign_to(item_target, items[i] if i < len(items) else None)
        else:
            raise Unsupported(f"assignment to '{target.type}'", line_of(target))

    def set_variable_text(self, name, value, node=None):
        if name.startswith("{") and name.endswith("}"):
            name = name[1:-1]
        if name.startswith("@"):
            raise Unsupported("assignment to a splat", line_of(node) if node else None)
        lower = name.lower()
        if lower in ("true", "false", "null", "?", "_", "psitem") or lower in ("$", "^"):
            if lower == "null":
                return
            raise ps_error(f"Cannot overwrite variable {name} because it is read-only or constant.",
                           "System.Management.Automation.SessionStateUnauthorizedAccessException", "WriteError",
                           "VariableNotWritable")
        if ":" in name:
            prefix, _, rest = name.partition(":")
            prefix = prefix.lower()
            if prefix == "env":
                if value is None or to_str(value) == "":
                    self.env.pop(rest, None)
                else:
                    self.env[rest] = to_str(value)
                return
            if prefix in ("script", "global"):
                self.global_scope.vars[rest] = value
                return
            if prefix in ("local", "private"):
                self.scope.vars[rest] = value
                return
            raise Unsupported(f"variable drive or scope '{prefix}:'", line_of(node) if node else None)
        self.scope.vars[name] = value
