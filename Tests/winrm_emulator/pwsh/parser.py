"""tree-sitter-powershell: the only parser. A script with an ERROR or MISSING node is refused."""
import tree_sitter
import tree_sitter_powershell

from .errors import ParseFailure

_LANGUAGE = tree_sitter.Language(tree_sitter_powershell.language())


def parse(text):
    """The syntax tree of `text`; raises ParseFailure naming every bad spot (line:column and text)."""
    tree = tree_sitter.Parser(_LANGUAGE).parse(text.encode("utf-8"))
    problems = syntax_problems(tree, text.encode("utf-8"))
    if problems:
        raise ParseFailure(problems)
    return tree


STRINGS = ("expandable_string_literal", "expandable_here_string_literal")


def is_empty(tree, source):
    """A script of only blanks and comments (tree-sitter-powershell calls it an error; PowerShell runs it)."""
    root = tree.root_node
    if root.type != "ERROR":
        return False
    return all(child.type == "comment" or
               (child.type == "ERROR" and not source[child.start_byte:child.end_byte].strip())
               for child in root.children)


def syntax_problems(tree, source):
    """ERROR and MISSING nodes, and what tree-sitter-powershell accepts but PowerShell does not."""
    if is_empty(tree, source):
        return []
    problems = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "variable" and node.parent is not None and node.parent.type in STRINGS:
            text = node.text.decode("utf-8", "replace")
            following = source[node.end_byte:node.end_byte + 1]
            if ":" not in text and following == b":" and not text.startswith("${"):
                problems.append(f"line {node.start_point[0] + 1}:{node.start_point[1] + 1}: variable reference "
                                f"'{text}:' is not valid in a string (PowerShell reads a drive name; write "
                                f"${{{text[1:]}}}: or $({text}):)")
            continue
        if not node.has_error and not node.is_missing:
            stack.extend(reversed([child for child in node.children if node.type in STRINGS or
                                   child.child_count]))
            continue
        if node.is_missing:
            problems.append(f"line {node.start_point[0] + 1}:{node.start_point[1] + 1}: missing '{node.type}'")
            continue
        if node.type == "ERROR":
            snippet = node.text.decode("utf-8", "replace").splitlines()[0][:60] if node.text else ""
            problems.append(f"line {node.start_point[0] + 1}:{node.start_point[1] + 1}: syntax error near "
                            f"'{snippet}'")
            continue
        stack.extend(reversed(node.children))
    return problems


def check(text):
    """The syntax problems of `text` (empty when it parses cleanly)."""
    source = text.encode("utf-8")
    return syntax_problems(tree_sitter.Parser(_LANGUAGE).parse(source), source)
