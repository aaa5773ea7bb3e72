"""A small, explicit subset of cmd.exe: what WinRS clients run as plain commands.

WinRS runs every command through `cmd.exe /c` unless WINRS_SKIP_CMD_SHELL is TRUE. Supported: `%VAR%` expansion,
`^` escapes, the operators `&`, `&&`, `||`, the redirections `>&2`, `1>&2`, `2>&1`, `>nul`, `2>nul`; the commands
`echo` (`echo.`, `echo text`), `hostname`, `whoami`, `exit [/b] [N]`, `ver`, `rem`, `cd`, `set`, `more` (stdin to
stdout), `ping [-n N] 127.0.0.1|localhost` (one reply a second: the WinRS way to sleep), `cmd /c …` and
`powershell[.exe] …`. An unknown command fails as cmd.exe fails (9009, "is not recognized" on stderr); a construct
outside the subset (pipes, blocks, file redirections) fails loudly with exit code 99, so nothing passes by accident.
"""
import re

from . import powershell, winargs

NOT_RECOGNIZED = ("'{}' is not recognized as an internal or external command,\r\n"
                  "operable program or batch file.\r\n")
UNSUPPORTED = 99
MAX_LINE = 8191
_HIDDEN_GT = "\x01"  # a > that is text (quoted or escaped), not a redirection
_VAR = re.compile(r"%([^%\r\n]+)%")


class Unsupported(Exception):
    pass


def run_cmd_exe(ctx, arguments):
    """cmd.exe with this argument string (`/c line`, switches first). Returns the exit code."""
    rest = arguments.lstrip()
    strip_quotes = False
    while True:
        match = re.match(r"(?i)/([a-z])(:\S*)?\s*", rest)
        if not match:
            return _unsupported(ctx, "cmd.exe without /c (an interactive shell reading stdin)")
        switch = match.group(1).lower()
        rest = rest[match.end():]
        if switch == "c":
            break
        if switch == "k":
            return _unsupported(ctx, "cmd /k (an interactive shell)")
        if switch == "s":
            strip_quotes = True
        elif switch not in ("q", "d", "a", "u", "e", "f", "v"):
            return _unsupported(ctx, f"cmd.exe switch /{switch}")
    if rest.startswith('"') and (strip_quotes or not _quotes_kept(rest)):
        last = rest.rfind('"')
        rest = rest[1:last] + rest[last + 1:] if last > 0 else rest[1:]
    return run_line(ctx, rest)


def _quotes_kept(rest):
    """cmd /? : the quotes stay when there are exactly two, nothing special between them, whitespace between them,
    and the quoted string names an executable (here: a path to cmd.exe or powershell.exe)."""
    if rest.count('"') != 2:
        return False
    quoted = rest[1:rest.index('"', 1)]
    if any(c in quoted for c in "&<>()@^|") or not any(c in quoted for c in " \t"):
        return False
    return quoted.lower().replace("/", "\\").rsplit("\\", 1)[-1] in ("cmd.exe", "powershell.exe")


def run_line(ctx, line):
    """One cmd.exe command line: expansion, then its commands joined by &, && and ||."""
    line = _VAR.sub(lambda m: _lookup(ctx.env, m.group(1), m.group(0)), line)
    if len(line) > MAX_LINE:
        ctx.err("The input line is too long.\r\n")
        return 1
    try:
        commands = _split(line)
    except Unsupported as error:
        return _unsupported(ctx, str(error))
    code = 0
    operator = None
    for text, next_operator in commands:
        if ctx.cancel.is_set():
            return code
        if operator == "&&" and code != 0 or operator == "||" and code == 0:
            operator = next_operator
            continue
        try:
            code = _run_simple(ctx, text)
        except _Exit as done:
            return done.code
        except Unsupported as error:
            return _unsupported(ctx, str(error))
        ctx.errorlevel = code
        operator = next_operator
    return code


class _Exit(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _lookup(env, name, original):
    for key, value in env.items():
        if key.lower() == name.lower():
            return value
    return original


def _split(line):
    """[(command text, operator after it)] — operators outside quotes; ^ escapes the next character."""
    commands, current, in_quotes, i = [], [], False, 0
    while i < len(line):
        c = line[i]
        if c == '"':
            in_quotes = not in_quotes
            current.append(c)
        elif in_quotes:
            current.append(c)
        elif c == "^":
            if i + 1 < len(line):
                escaped = line[i + 1]
                current.append(_HIDDEN_GT if escaped == ">" else escaped)  # never an operator or redirection
                i += 1
        elif c == "&":
            double = line[i + 1:i + 2] == "&"
            if current and current[-1] == ">":
                current.append(c)  # part of a redirection such as >&2
            else:
                commands.append(("".join(current), "&&" if double else "&"))
                current = []
                i += 1 if double else 0
        elif c == "|":
            if line[i + 1:i + 2] == "|":
                commands.append(("".join(current), "||"))
                current = []
                i += 1
            else:
                raise Unsupported("a pipe (|)")
        elif c in "()" and not "".join(current).strip():
            raise Unsupported("a parenthesised block")
        else:
            current.append(c)
        i += 1
    commands.append(("".join(current), None))
    return [(text, op) for text, op in commands if text.strip() or op is None]


_REDIRECTION = re.compile(r"\s?([12]?)>\s*(&[12]|nul\b|\S+)", re.I)


def _run_simple(ctx, text):
    stdout_to, stderr_to = "stdout", "stderr"

    def redirect(match):
        nonlocal stdout_to, stderr_to
        stream = match.group(1) or "1"
        target = match.group(2).lower()
        if target in ("&1", "&2", "nul"):
            destination = {"&1": "stdout", "&2": "stderr", "nul": None}[target]
            if stream == "1":
                stdout_to = destination
            else:
                stderr_to = destination
            return " " if match.group(0).startswith(" ") else ""
        raise Unsupported(f"redirection to a file ({match.group(0).strip()})")

    text = _REDIRECTION.sub(redirect, _protect_quoted(text))
    text = _unprotect(text)
    ctx.push_redirection(stdout_to, stderr_to)
    try:
        return _dispatch(ctx, text.lstrip(" \t@"))
    finally:
        ctx.pop_redirection()


def _protect_quoted(text):
    """Hides > inside quotes from the redirection pattern."""
    return re.sub(r'"[^"]*"', lambda m: m.group(0).replace(">", _HIDDEN_GT), text)


def _unprotect(text):
    return text.replace(_HIDDEN_GT, ">")


def _dispatch(ctx, text):
    if not text.strip():
        return ctx.errorlevel
    echo = re.match(r"(?i)echo(?=$|[ \t.:,;=(/+\[\]])", text)
    if echo:
        return _echo(ctx, text[echo.end():])
    name = re.match(r'"[^"]*"|[^\s]+', text).group(0)
    rest = text[len(name):]
    program = name.strip('"').lower().replace("/", "\\")
    base = program.rsplit("\\", 1)[-1]
    args = winargs.split(rest)
    if base in ("cmd", "cmd.exe"):
        return run_cmd_exe(ctx, rest)
    if base in ("powershell", "powershell.exe"):
        return powershell.run_powershell(ctx, rest)
    builtin = _BUILTINS.get(base)
    if builtin is None:
        ctx.err(NOT_RECOGNIZED.format(name.strip('"')))
        return 9009
    return builtin(ctx, args, rest)


def _echo(ctx, rest):
    if rest == "":
        ctx.out("ECHO is on.\r\n")
    elif rest.strip().lower() in ("on", "off"):
        pass
    else:
        ctx.out(rest[1:] + "\r\n")
    return 0


def _hostname(ctx, args, rest):
    if args:
        raise Unsupported("hostname with arguments")
    ctx.out(ctx.host.computer_name + "\r\n")
    return 0


def _whoami(ctx, args, rest):
    if args:
        raise Unsupported(f"whoami {' '.join(args)}")
    ctx.out(ctx.user.whoami(ctx.host.computer_name) + "\r\n")
    return 0


def _exit(ctx, args, rest):
    values = [a for a in args if a.lower() != "/b"]
    code = ctx.errorlevel
    if values:
        try:
            code = int(values[0], 0)
        except ValueError:
            code = 0
    raise _Exit(code)


def _ver(ctx, args, rest):
    ctx.out("\r\nMicrosoft Windows [Version 10.0.20348.2340]\r\n")
    return 0


def _rem(ctx, args, rest):
    return 0


def _cd(ctx, args, rest):
    if args:
        raise Unsupported("cd to another directory")
    ctx.out(ctx.working_directory + "\r\n")
    return 0


def _set(ctx, args, rest):
    rest = rest.strip()
    if not rest:
        for key in sorted(ctx.env, key=str.lower):
            ctx.out(f"{key}={ctx.env[key]}\r\n")
        return 0
    if "=" in rest:
        key, value = rest.split("=", 1)
        if key.startswith("/"):
            raise Unsupported(f"set {key}")
        ctx.env = {k: v for k, v in ctx.env.items() if k.lower() != key.lower()}
        if value:
            ctx.env[key] = value
        return 0
    matches = sorted((k for k in ctx.env if k.lower().startswith(rest.lower())), key=str.lower)
    if not matches:
        ctx.err(f"Environment variable {rest} not defined\r\n")
        return 1
    for key in matches:
        ctx.out(f"{key}={ctx.env[key]}\r\n")
    return 0


def _more(ctx, args, rest):
    if args:
        raise Unsupported(f"more {' '.join(args)}")
    text = ctx.stdin_text()
    if text:
        lines = text.replace("\r\n", "\n").split("\n")
        if lines[-1] == "":
            lines.pop()
        ctx.out("".join(line.expandtabs(8) + "\r\n" for line in lines))
    return 0


def _ping(ctx, args, rest):
    count, target, i = 4, None, 0
    while i < len(args):
        if args[i].lower() in ("-n", "/n") and i + 1 < len(args) and args[i + 1].isdigit():
            count = int(args[i + 1])
            i += 2
        elif args[i].startswith(("-", "/")):
            raise Unsupported(f"ping option {args[i]}")
        else:
            target = args[i]
            i += 1
    if target is None:
        raise Unsupported("ping without a target")
    if target.lower() not in ("127.0.0.1", "localhost"):
        raise Unsupported(f"ping {target} (only the loopback address is emulated)")
    address = "::1" if target.lower() == "localhost" else "127.0.0.1"
    shown = f"{ctx.host.computer_name} [{address}]" if target.lower() == "localhost" else address
    ctx.out(f"\r\nPinging {shown} with 32 bytes of data:\r\n")
    for n in range(count):
        if n and ctx.cancel.wait(1.0):
            ctx.out("Control-C\r\n^C")
            return 0xC000013A
        reply = "time<1ms" if address == "::1" else "bytes=32 time<1ms TTL=128"
        ctx.out(f"Reply from {address}: {reply}\r\n")
    ctx.out(f"\r\nPing statistics for {address}:\r\n    Packets: Sent = {count}, Received = {count}, Lost = 0 "
            "(0% loss),\r\nApproximate round trip times in milli-seconds:\r\n"
            "    Minimum = 0ms, Maximum = 0ms, Average = 0ms\r\n")
    return 0


_BUILTINS = {"hostname": _hostname, "hostname.exe": _hostname, "whoami": _whoami, "whoami.exe": _whoami,
             "exit": _exit, "ver": _ver, "rem": _rem, "cd": _cd, "chdir": _cd, "set": _set, "more": _more,
             "more.com": _more, "ping": _ping, "ping.exe": _ping}


def _unsupported(ctx, what):
    ctx.err(f"emulator: unsupported cmd.exe construct: {what}\r\n")
    return UNSUPPORTED

