"""Control flow and error types of the interpreter.

`Unsupported` and `Cancelled` are never caught by a script's try/catch: the first ends the run loudly
with exit code 99, the second with 130. `PSError` is a PowerShell terminating error (catchable).
"""


class Unsupported(Exception):
    """A construct, command, type or member outside the emulated subset."""

    def __init__(self, what, line=None):
        super().__init__(what)
        self.what = what
        self.line = line

    def message(self):
        where = f" at line {self.line}" if self.line else ""
        return f"emulator: unsupported {self.what}{where}"


class ParseFailure(Exception):
    """tree-sitter-powershell found ERROR or MISSING nodes."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


class Cancelled(Exception):
    pass


class ExitSignal(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


class ReturnSignal(Exception):
    pass


class BreakSignal(Exception):
    pass


class ContinueSignal(Exception):
    pass


class PSError(Exception):
    """A terminating error carrying its ErrorRecord (see dotnet.ErrorRecord)."""

    def __init__(self, record):
        super().__init__(record.message)
        self.record = record
