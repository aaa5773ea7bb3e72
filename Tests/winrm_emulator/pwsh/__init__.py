"""A PowerShell-subset interpreter over a fake Windows host, for the WinRM emulator.

    run_script(script, host, stdin, emit, cancel) -> exit code

runs the decoded -EncodedCommand text; `[Console]::In.ReadToEnd()` answers `stdin`. emit(kind, text)
receives "stdout" (one output line, no newline), "stderr" (raw text written with
[Console]::Error.Write/WriteLine), "error" (an error record's message) and "progress" records.
Scripts that do not parse (tree-sitter-powershell), or use anything outside the emulated subset,
end with an "error" record naming the problem ("emulator: unsupported ... at line N") and exit
code 99; a set `cancel` event ends the run with 130. run_script never raises for script problems.
"""
import threading

from . import cmdlets_core, cmdlets_fs, cmdlets_system  # noqa: F401  (they register the cmdlets)
from .cmdlets_fs import FileSystem
from .host import HostState, Process, Service
from .interp import Interpreter
from .parser import check as syntax_problems

__all__ = ["HostState", "Service", "Process", "run_script", "syntax_problems"]


def run_script(script, host, stdin, emit, cancel):
    """Runs `script` on `host`; returns the exit code (99: unsupported or unparsable, 130: cancelled)."""
    with host.lock:
        host.lock_owner = threading.get_ident()
        host.cancel = cancel
        try:
            interp = Interpreter(host, emit, cancel, stdin or "")
            interp.fs = FileSystem(interp)
            return interp.run(script)
        finally:
            host.cancel = None
            host.lock_owner = None
