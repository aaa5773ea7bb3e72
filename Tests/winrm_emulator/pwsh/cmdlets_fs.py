"""File system cmdlets over the fake host's files: Test-Path, Get-Item, Get-ChildItem, Copy-Item,
Move-Item, Remove-Item, New-Item, Set-Content, Add-Content, Get-Content, Out-File, Get-FileHash,
Join-Path, Split-Path, Set-Location. Windows PowerShell 5.1 encodings (ANSI by default)."""
import hashlib
import re

from . import operators
from .cmdlets import P, cmdlet
from .errors import Unsupported
from .formatting import default_lines
from .host import HostError, leaf_of, norm, parent_of
from .objects import DirectoryInfo, FileInfo
from .values import PSObject, enumerate_value, ps_error, to_int, to_str

PROVIDER_PREFIXES = ("microsoft.powershell.core\\filesystem::", "filesystem::")


class FileSystem:
    """Path resolution against the host (current location, provider prefixes, wildcards)."""

    def __init__(self, interp):
        self.interp = interp

    @property
    def host(self):
        return self.interp.host

    def resolve(self, path, line=None):
        text = to_str(path).replace("/", "\\")
        lower = text.lower()
        for prefix in PROVIDER_PREFIXES:
            if lower.startswith(prefix):
                text = text[len(prefix):]
                lower = text.lower()
        if re.match(r"^[A-Za-z]{2,}:", text):
            raise Unsupported(f"the PowerShell drive in '{text}'", line)
        if text.startswith("\\\\"):
            return self._normalise(text, unc=True)
        if re.match(r"^[A-Za-z]:\\", text) or re.fullmatch(r"[A-Za-z]:", text):
            return self._normalise(text)
        if re.match(r"^[A-Za-z]:", text):
            raise Unsupported(f"a drive-relative path '{text}'", line)
        if text.startswith("\\"):
            return self._normalise(self.interp.cwd[:2] + text)
        return self._normalise(self.interp.cwd.rstrip("\\") + "\\" + text)

    @staticmethod
    def _normalise(path, unc=False):
        head = "\\\\" if unc else ""
        body = path[2:] if unc else path
        parts = []
        for part in body.split("\\"):
            if part in ("", "."):
                continue
            if part == "..":
                if len(parts) > (2 if unc else 1):
                    parts.pop()
                continue
            parts.append(part)
        result = head + "\\".join(parts)
        if not unc and len(parts) == 1:
            result += "\\"
        return result

    def expand(self, path, literal, line=None):
        """The existing items a -Path (wildcards) or -LiteralPath names; a wildcard-free -Path is itself."""
        full = self.resolve(path, line)
        if literal or not operators.has_wildcards(full):
            return [full]
        parent, leaf = parent_of(full), leaf_of(full)
        if parent is None or operators.has_wildcards(parent):
            raise Unsupported("wildcards in a folder name", line)
        return [child for child in self.host.children(parent) if operators.wildcard_match(leaf, leaf_of(child))]

    def item(self, path):
        entry = self.host.file(path)
        if entry is not None:
            return FileInfo(self.interp, entry)
        if self.host.is_dir(path):
            return DirectoryInfo(self.interp, path)
        return None

    def read_bytes(self, path, who):
        entry = self.host.file(self.resolve(path))
        if entry is None:
            raise ps_error(f'Exception calling "{who}": "Could not find file \'{path}\'."',
                           "System.IO.FileNotFoundException")
        return entry.data

    def read_text(self, path, who):
        return decode(self.read_bytes(path, who), "utf8")

    def write_bytes(self, path, data, who):
        try:
            self.host.write_file(self.resolve(path), data)
        except HostError as error:
            raise ps_error(f'Exception calling "{who}": "{error.message}"', error.exception)


def decode(data, encoding=None):
    """Text of a file as Windows PowerShell 5.1 reads it: BOM first, else the given or ANSI encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le", "replace")
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", "replace")
    if encoding in ("utf8", "utf8nobom"):
        return data.decode("utf-8", "replace")
    if encoding == "unicode":
        return data.decode("utf-16-le", "replace")
    return data.decode("cp1252", "replace")


def encode(text, encoding, default="default"):
    encoding = (encoding or default).lower().replace("-", "")
    if encoding == "utf8":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if encoding == "utf8nobom":
        return text.encode("utf-8")
    if encoding in ("unicode", "utf16"):
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "bigendianunicode":
        return b"\xfe\xff" + text.encode("utf-16-be")
    if encoding == "ascii":
        return text.encode("ascii", "replace")
    if encoding in ("default", "string", "oem"):
        return text.encode("cp1252", "replace")
    raise Unsupported(f"-Encoding {encoding}")


def _fs(ctx):
    return ctx.interp.fs


def _paths(ctx, bound, required=True):
    """(paths, literal) from -Path/-LiteralPath; an empty path is a binding error, as in PowerShell."""
    literal = "LiteralPath" in bound
    raw = bound.get("LiteralPath") if literal else bound.get("Path")
    if raw is None and not required:
        return None, literal
    values = enumerate_value(raw)
    for value in values:
        if value is None or to_str(value) == "":
            which = "LiteralPath" if literal else "Path"
            problem = "is null" if value is None else "is an empty string"
            raise ctx.fail(f"Cannot bind argument to parameter '{which}' because it {problem}.",
                           error_id="ParameterArgumentValidationErrorEmptyStringNotAllowed" if value is not None
                           else "ParameterArgumentValidationErrorNullNotAllowed",
                           exception="System.Management.Automation.ParameterBindingValidationException")
    return [to_str(value) for value in values], literal


def _not_found(ctx, path):
    ctx.error(f"Cannot find path '{path}' because it does not exist.", "ObjectNotFound", "PathNotFound",
              "System.Management.Automation.ItemNotFoundException", path)


def _host_error(ctx, error, path, error_id):
    ctx.error(error.message, error.kind, error_id, error.exception, path)


PATH = P("Path", position=0)
LITERAL = P("LiteralPath", aliases=("PSPath", "LP"))


@cmdlet("Test-Path", PATH, LITERAL, P("PathType", aliases=("Type",)), P("IsValid", switch=True))
def test_path(ctx, bound, items):
    paths, literal = _paths(ctx, bound)
    kind = to_str(bound.get("PathType", "Any")).lower()
    if kind not in ("any", "leaf", "container"):
        raise ctx.fail(f"Cannot bind parameter 'PathType'. Cannot convert value \"{kind}\" to type "
                       f"\"Microsoft.PowerShell.Commands.TestPathType\".", error_id="CannotConvertArgumentNoMessage")
    for path in paths:
        if bound.get("IsValid"):
            ctx.write(True)
            continue
        found = False
        for full in _fs(ctx).expand(path, literal, ctx.line()):
            host = ctx.host
            found = found or {"any": host.exists, "leaf": host.is_file, "container": host.is_dir}[kind](full)
        ctx.write(found)


@cmdlet("Get-Item", PATH, LITERAL, P("Force", switch=True))
def get_item(ctx, bound, items):
    paths, literal = _paths(ctx, bound)
    for path in paths:
        matches = [full for full in _fs(ctx).expand(path, literal, ctx.line()) if ctx.host.exists(full)]
        if not matches:
            _not_found(ctx, path if literal else _fs(ctx).resolve(path))
        for full in matches:
            ctx.write(_fs(ctx).item(full))


@cmdlet("Get-ChildItem", PATH, LITERAL, P("Filter", position=1), P("File", switch=True),
        P("Directory", switch=True), P("Recurse", switch=True), P("Force", switch=True), P("Name", switch=True),
        P("Include"), P("Exclude"), P("Depth"))
def get_child_item(ctx, bound, items):
    if "Include" in bound or "Exclude" in bound or "Depth" in bound:
        raise Unsupported("Get-ChildItem -Include/-Exclude/-Depth", ctx.line())
    paths, literal = _paths(ctx, bound, required=False)
    if paths is None:
        paths = [ctx.interp.cwd]
    pattern = to_str(bound["Filter"]) if "Filter" in bound else None
    for path in paths:
        matches = [full for full in _fs(ctx).expand(path, literal, ctx.line()) if ctx.host.exists(full)]
        if not matches:
            _not_found(ctx, path if literal else _fs(ctx).resolve(path))
        for full in matches:
            if ctx.host.is_file(full):
                if _keep(ctx, bound, full, pattern):
                    _emit_child(ctx, bound, full, full)
                continue
            for child in _walk(ctx, full, bool(bound.get("Recurse"))):
                if _keep(ctx, bound, child, pattern):
                    _emit_child(ctx, bound, child, full)


def _walk(ctx, folder, recurse):
    children = ctx.host.children(folder)
    folders = [child for child in children if ctx.host.is_dir(child)]
    files = [child for child in children if ctx.host.is_file(child)]
    # As the FileSystem provider does: a folder's own items (folders first), then each subfolder's.
    yield from folders
    yield from files
    if recurse:
        for child in folders:
            yield from _walk(ctx, child, True)


def _keep(ctx, bound, path, pattern):
    if bound.get("File") and not ctx.host.is_file(path):
        return False
    if bound.get("Directory") and not ctx.host.is_dir(path):
        return False
    return pattern is None or operators.wildcard_match(pattern, leaf_of(path))


def _emit_child(ctx, bound, path, base):
    if bound.get("Name"):
        ctx.write(path[len(base):].lstrip("\\") if path != base else leaf_of(path))
    else:
        ctx.write(_fs(ctx).item(path))


def _copy_or_move(ctx, bound, move):
    paths, literal = _paths(ctx, bound)
    if "Destination" not in bound:
        raise Unsupported(f"{ctx.name} without -Destination", ctx.line())
    destination = _fs(ctx).resolve(to_str(bound["Destination"]), ctx.line())
    for path in paths:
        sources = [full for full in _fs(ctx).expand(path, literal, ctx.line()) if ctx.host.exists(full)]
        if not sources:
            _not_found(ctx, path if literal else _fs(ctx).resolve(path))
            continue
        for source in sources:
            if ctx.host.is_dir(source):
                raise Unsupported(f"{ctx.name} of a folder", ctx.line())
            target = destination + "\\" + leaf_of(source) if ctx.host.is_dir(destination) else destination
            if norm(target) == norm(source):
                if not move:
                    ctx.error(f"Cannot overwrite the item {source} with itself.", "WriteError",
                              "CopyError", "System.IO.IOException", source)
                continue
            if ctx.host.is_file(target) and move and not bound.get("Force"):
                ctx.error("Cannot create a file when that file already exists.", "WriteError",
                          "MoveFileInfoItemIOError", "System.IO.IOException", source)
                continue
            entry = ctx.host.file(source)
            try:
                ctx.host.write_file(target, entry.data, entry.version)
                ctx.host.file(target).modified = entry.modified
                if move:
                    ctx.host.remove(source)
            except HostError as error:
                _host_error(ctx, error, source, "CopyFileInfoItemIOError" if not move else "MoveFileInfoItemIOError")
                continue
            if bound.get("PassThru"):
                ctx.write(_fs(ctx).item(target))


@cmdlet("Copy-Item", PATH, LITERAL, P("Destination", position=1), P("Force", switch=True),
        P("Recurse", switch=True), P("PassThru", switch=True), P("Container", switch=True))
def copy_item(ctx, bound, items):
    _copy_or_move(ctx, bound, move=False)


@cmdlet("Move-Item", PATH, LITERAL, P("Destination", position=1), P("Force", switch=True),
        P("PassThru", switch=True))
def move_item(ctx, bound, items):
    _copy_or_move(ctx, bound, move=True)


@cmdlet("Remove-Item", PATH, LITERAL, P("Force", switch=True), P("Recurse", switch=True), P("Filter"),
        P("Include"), P("Exclude"))
def remove_item(ctx, bound, items):
    if "Filter" in bound or "Include" in bound or "Exclude" in bound:
        raise Unsupported("Remove-Item -Filter/-Include/-Exclude", ctx.line())
    if items is not None and "Path" not in bound and "LiteralPath" not in bound:
        bound = dict(bound, LiteralPath=[to_str(getattr(item, "entry", None) and item.entry.path or item)
                                         for item in items])
    paths, literal = _paths(ctx, bound)
    for path in paths:
        targets = [full for full in _fs(ctx).expand(path, literal, ctx.line()) if ctx.host.exists(full)]
        if not targets:
            _not_found(ctx, path if literal else _fs(ctx).resolve(path))
        for target in targets:
            try:
                ctx.host.remove(target, bool(bound.get("Recurse")))
            except HostError as error:
                _host_error(ctx, error, target, "RemoveFileSystemItemIOError")


@cmdlet("New-Item", PATH, P("Name"), P("ItemType", aliases=("Type",)), P("Value"), P("Force", switch=True))
def new_item(ctx, bound, items):
    paths, _ = _paths(ctx, bound)
    kind = to_str(bound.get("ItemType", "File")).lower()
    if kind not in ("file", "directory"):
        raise Unsupported(f"New-Item -ItemType {kind}", ctx.line())
    for path in paths:
        full = _fs(ctx).resolve(path + ("\\" + to_str(bound["Name"]) if "Name" in bound else ""), ctx.line())
        if kind == "directory":
            if ctx.host.is_file(full) or (ctx.host.is_dir(full) and not bound.get("Force")):
                ctx.error(f"An item with the specified name {full} already exists.", "ResourceExists",
                          "DirectoryExist", "System.IO.IOException", full)
                continue
            ctx.host.mkdir(full)
            ctx.write(DirectoryInfo(ctx.interp, full))
            continue
        if ctx.host.exists(full) and not bound.get("Force"):
            ctx.error(f"The file '{full}' already exists.", "WriteError", "NewItemIOError", "System.IO.IOException",
                      full)
            continue
        parent = parent_of(full)
        if bound.get("Force") and parent:
            ctx.host.mkdir(parent)
        try:
            ctx.host.write_file(full, encode(to_str(bound.get("Value", "")), None))
        except HostError as error:
            _host_error(ctx, error, full, "NewItemIOError")
            continue
        ctx.write(_fs(ctx).item(full))


def _content_text(values, no_newline):
    lines = [to_str(value) for value in values]
    if no_newline:
        return "".join(lines)
    return "".join(line + "\r\n" for line in lines)


def _write_content(ctx, bound, items, append):
    paths, literal = _paths(ctx, bound)
    values = enumerate_value(bound["Value"]) if "Value" in bound else (items or [])
    text = _content_text(values, bool(bound.get("NoNewline")))
    encoding = to_str(bound["Encoding"]) if "Encoding" in bound else None
    for path in paths:
        full = _fs(ctx).resolve(path, ctx.line())
        existing = ctx.host.file(full)
        data = encode(text, encoding)
        if append and existing is not None:
            body = data
            for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
                if body.startswith(bom) and existing.data:
                    body = body[len(bom):]
            data = existing.data + body
        try:
            ctx.host.write_file(full, data, keep_version=False)
        except HostError as error:
            _host_error(ctx, error, full, "GetContentWriterIOError")


@cmdlet("Set-Content", PATH, LITERAL, P("Value", position=1), P("Encoding"), P("NoNewline", switch=True),
        P("Force", switch=True), P("PassThru", switch=True))
def set_content(ctx, bound, items):
    _write_content(ctx, bound, items, append=False)


@cmdlet("Add-Content", PATH, LITERAL, P("Value", position=1), P("Encoding"), P("NoNewline", switch=True),
        P("Force", switch=True))
def add_content(ctx, bound, items):
    _write_content(ctx, bound, items, append=True)


@cmdlet("Get-Content", PATH, LITERAL, P("TotalCount", aliases=("First", "Head")), P("Tail", aliases=("Last",)),
        P("Raw", switch=True), P("Encoding"), P("ReadCount"))
def get_content(ctx, bound, items):
    paths, literal = _paths(ctx, bound)
    encoding = to_str(bound["Encoding"]).lower().replace("-", "") if "Encoding" in bound else None
    for path in paths:
        files = [full for full in _fs(ctx).expand(path, literal, ctx.line()) if ctx.host.is_file(full)]
        if not files:
            if any(ctx.host.is_dir(full) for full in _fs(ctx).expand(path, literal, ctx.line())):
                ctx.error(f"Unable to get content because it is a directory: '{path}'. Please use 'Get-ChildItem' "
                          f"instead.", "InvalidOperation", "GetContentReaderUnauthorizedAccessError",
                          "System.UnauthorizedAccessException", path)
            else:
                _not_found(ctx, path if literal else _fs(ctx).resolve(path))
            continue
        for full in files:
            text = decode(ctx.host.file(full).data, encoding)
            if bound.get("Raw"):
                ctx.write(text)
                continue
            lines = text.replace("\r\n", "\n").split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            if "TotalCount" in bound and to_int(bound["TotalCount"]) >= 0:
                lines = lines[:to_int(bound["TotalCount"])]
            if "Tail" in bound:
                count = to_int(bound["Tail"])
                lines = lines[len(lines) - count:] if count > 0 else []
            for line in lines:
                ctx.write(line)


@cmdlet("Out-File", P("FilePath", position=0, aliases=("Path",)), LITERAL, P("Encoding", position=1),
        P("Append", switch=True), P("Force", switch=True), P("NoNewline", switch=True), P("InputObject"),
        P("Width"))
def out_file(ctx, bound, items):
    values = items if items is not None else enumerate_value(bound.get("InputObject"))
    lines = []
    for value in values:
        lines.extend(default_lines(value))
    bound = dict(bound)
    if "FilePath" in bound:
        bound["Path"] = bound.pop("FilePath")
    bound["Value"] = lines
    bound.setdefault("Encoding", "Unicode")
    _write_content(ctx, bound, None, append=bool(bound.get("Append")))


ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512,
              "md5": hashlib.md5}


@cmdlet("Get-FileHash", PATH, LITERAL, P("Algorithm"), P("InputStream"))
def get_file_hash(ctx, bound, items):
    if "InputStream" in bound:
        raise Unsupported("Get-FileHash -InputStream", ctx.line())
    algorithm = to_str(bound.get("Algorithm", "SHA256")).upper()
    if algorithm.lower() not in ALGORITHMS:
        raise ctx.fail(f"Cannot validate argument on parameter 'Algorithm'. The argument \"{algorithm}\" does not "
                       f"belong to the set \"SHA1,SHA256,SHA384,SHA512,MACTripleDES,MD5,RIPEMD160\".",
                       error_id="ParameterArgumentValidationError",
                       exception="System.Management.Automation.ParameterBindingValidationException")
    paths, literal = _paths(ctx, bound)
    for path in paths:
        files = [full for full in _fs(ctx).expand(path, literal, ctx.line()) if ctx.host.is_file(full)]
        if not files:
            _not_found(ctx, path if literal else _fs(ctx).resolve(path))
        for full in files:
            entry = ctx.host.file(full)
            digest = ALGORITHMS[algorithm.lower()](entry.data).hexdigest().upper()
            ctx.write(PSObject([("Algorithm", algorithm), ("Hash", digest), ("Path", entry.path)]))


@cmdlet("Join-Path", P("Path", position=0), P("ChildPath", position=1), P("Resolve", switch=True))
def join_path(ctx, bound, items):
    if bound.get("Resolve"):
        raise Unsupported("Join-Path -Resolve", ctx.line())
    if bound.get("Path") is None or to_str(bound.get("Path")) == "":
        raise ctx.fail("Cannot bind argument to parameter 'Path' because it is an empty string."
                       if bound.get("Path") is not None else
                       "Cannot bind argument to parameter 'Path' because it is null.",
                       error_id="ParameterArgumentValidationErrorEmptyStringNotAllowed",
                       exception="System.Management.Automation.ParameterBindingValidationException")
    children = [to_str(bound.get("ChildPath", ""))]
    for base in enumerate_value(bound["Path"]):
        result = to_str(base).replace("/", "\\")
        for child in children:
            child = child.replace("/", "\\")
            if not child:
                continue
            result = result.rstrip("\\") + "\\" + child.lstrip("\\")
        ctx.write(result)


@cmdlet("Split-Path", P("Path", position=0), LITERAL, P("Parent", switch=True), P("Leaf", switch=True),
        P("Qualifier", switch=True), P("NoQualifier", switch=True), P("IsAbsolute", switch=True))
def split_path(ctx, bound, items):
    paths, _ = _paths(ctx, bound)
    for path in paths:
        text = path.replace("/", "\\")
        if bound.get("Leaf"):
            ctx.write(leaf_of(text))
        elif bound.get("Qualifier"):
            match = re.match(r"^([A-Za-z]:)", text)
            if not match:
                raise ctx.fail(f"Cannot parse path because path '{text}' does not have a qualifier specified.",
                               error_id="ParsePathFormatError", exception="System.Management.Automation."
                               "PSArgumentException")
            ctx.write(match.group(1))
        elif bound.get("NoQualifier"):
            ctx.write(re.sub(r"^[A-Za-z]:", "", text))
        elif bound.get("IsAbsolute"):
            ctx.write(bool(re.match(r"^([A-Za-z]:\\|\\\\)", text)))
        else:
            parent = parent_of(text)
            ctx.write("" if parent is None else parent)


@cmdlet("Set-Location", P("Path", position=0), LITERAL)
def set_location(ctx, bound, items):
    paths, _ = _paths(ctx, bound)
    full = _fs(ctx).resolve(paths[0], ctx.line())
    if not ctx.host.is_dir(full):
        _not_found(ctx, full)
        return
    ctx.interp.cwd = ctx.host.display_path(full)
