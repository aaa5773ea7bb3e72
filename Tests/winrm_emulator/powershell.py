"""powershell.exe: its command-line parameters, and the script run by the PowerShell-subset interpreter (`pwsh`).

`-EncodedCommand` (also `-enc`, `-ec`, `-e`) is base64 of UTF-16LE; `-Command` (`-c`, or the first word that is not
a parameter) takes the rest of the line; `-Command -` or no command reads the script from stdin. `-File`,
`-NoExit` and XML input/output formats are outside the emulation and fail loudly (exit code 99).

The interpreter's output: "stdout" lines (CRLF added), raw "stderr" text, and "error"/"progress" records written as
CLIXML on stderr, as powershell.exe writes them when its streams are redirected (clixml.py). Everything is encoded
with the shell's code page.
"""
import base64
import binascii
import os
import re
import sys

from . import winargs
from .clixml import ClixmlWriter

UNSUPPORTED = 99
_VALUE_PARAMETERS = ["executionpolicy", "inputformat", "outputformat", "windowstyle", "version", "configurationname",
                     "psconsolefile", "settingsfile", "workingdirectory"]
_SWITCHES = ["noprofile", "noninteractive", "nologo", "sta", "mta", "noexit", "help"]
_ALIASES = {"e": "encodedcommand", "ec": "encodedcommand", "enc": "encodedcommand", "c": "command",
            "ep": "executionpolicy", "?": "help"}
_READS_STDIN = re.compile(r"(?i)\[\s*(System\.)?Console\s*\]\s*::\s*In\b|\$input\b|\[\s*(System\.)?Console\s*\]"
                          r"\s*::\s*(OpenStandardInput|ReadLine|Read)\b")


class _Usage(Exception):
    pass


def _parameter(token):
    name = token[1:].lower()
    if name in _ALIASES:
        return _ALIASES[name]
    candidates = [p for p in ["command", "encodedcommand", "file", *_VALUE_PARAMETERS, *_SWITCHES]
                  if p.startswith(name)] if name else []
    if len(candidates) == 1:
        return candidates[0]
    return None


def parse_arguments(arguments):
    """(source, text): source is "encoded", "command" or "stdin"; raises _Usage for what is not emulated."""
    args = winargs.split(arguments)
    i = 0
    while i < len(args):
        token = args[i]
        if token == "-":
            return "stdin", None
        if token[:1] in ("-", "/") and len(token) > 1:
            name = _parameter(token)
            if name == "encodedcommand":
                if i + 1 >= len(args):
                    raise _Usage("-EncodedCommand without a value")
                return "encoded", args[i + 1]
            if name == "command":
                rest = args[i + 1:]
                if rest == ["-"]:
                    return "stdin", None
                return "command", " ".join(rest)
            if name == "file":
                raise _Usage("-File (scripts are sent with -EncodedCommand or on stdin)")
            if name == "noexit":
                raise _Usage("-NoExit (an interactive session)")
            if name == "help":
                raise _Usage("-Help")
            if name in ("inputformat", "outputformat"):
                if i + 1 < len(args) and args[i + 1].lower() not in ("text", "t", "te", "tex"):
                    raise _Usage(f"-{name} {args[i + 1]} (only Text is emulated)")
                i += 2
                continue
            if name in _VALUE_PARAMETERS:
                i += 2
                continue
            if name in _SWITCHES:
                i += 1
                continue
        return "command", " ".join(args[i:])
    return "stdin", None


def decode_encoded_command(value):
    try:
        raw = base64.b64decode(value, validate=True)
        if len(raw) % 2:
            raise ValueError("odd length")
        return raw.decode("utf-16-le")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def reads_stdin(script):
    return bool(_READS_STDIN.search(script))


def _interpreter():
    """pwsh's run_script, or None when the interpreter package is not there."""
    package_dir = os.path.dirname(os.path.abspath(__file__))
    if package_dir not in sys.path:
        sys.path.insert(0, package_dir)
    try:
        import pwsh
    except ImportError:
        return None
    return pwsh


def run_powershell(ctx, arguments):
    ctx.record_program("powershell")
    try:
        source, value = parse_arguments(arguments)
    except _Usage as usage:
        ctx.err(f"emulator: unsupported powershell.exe usage: {usage}\r\n")
        return UNSUPPORTED
    if source == "encoded":
        script = decode_encoded_command(value)
        if script is None:
            ctx.err("Cannot process the command because the value specified with -EncodedCommand is not properly "
                    "encoded. The value must be Base64 encoded.\r\n")
            return 1
        stdin = ctx.stdin_text() if reads_stdin(script) else ""
    elif source == "command":
        script = value
        stdin = ctx.stdin_text() if reads_stdin(script) else ""
    else:
        script = ctx.stdin_text()
        stdin = ""
    ctx.record_script(script)
    pwsh = _interpreter()
    if pwsh is None:
        ctx.err("emulator: the PowerShell interpreter (Tests/winrm_emulator/pwsh) is not available\r\n")
        return UNSUPPORTED
    clixml = ClixmlWriter(ctx.err)

    def emit(kind, text):
        if kind == "stdout":
            ctx.out(text + "\r\n")
        elif kind == "stderr":
            ctx.err(text)
        elif kind == "error":
            clixml.error(text)
        elif kind == "progress":
            clixml.progress(text)
        else:
            raise ValueError(f"unknown output kind {kind!r}")

    try:
        host_state = ctx.session_host_state(pwsh)
        code = pwsh.run_script(script, host_state, stdin, emit, ctx.cancel)
    except Exception as error:  # an interpreter bug must not look like a script result
        clixml.error(f"emulator: the PowerShell interpreter failed: {type(error).__name__}: {error}")
        code = UNSUPPORTED
    clixml.close()
    return code
