"""A WinRS command: the program running on its worker thread (ExecutionContext is its process), its stdin,
its output waiting for Receive, its end and its record."""
import threading
import time

from . import faults
from .records import now_iso

RECEIVE_BATCH_SECONDS = 0.02
RECORD_OUTPUT_LIMIT = 256 * 1024


class Command:
    def __init__(self, shell, command_id, command, arguments, skip_cmd_shell, consolemode_stdin):
        self.shell = shell
        self.id = command_id
        self.cond = threading.Condition()
        self.output = []  # [[stream, bytearray]] in write order, consecutive writes of a stream merged
        self.stdin = bytearray()
        self.stdin_end = False
        self.stdin_read = False
        self.finished = False
        self.exit_code = None
        self.done_delivered = False
        self.cancel = threading.Event()
        self.signal = None
        self.started = time.monotonic()
        self.stdout_seen = bytearray()
        self.stderr_seen = bytearray()
        self.record = {
            "kind": "command", "time": now_iso(), "host": shell.host.computer_name, "host_index": shell.host.index,
            "port": shell.transport["port"], "scheme": shell.transport["scheme"], "auth": shell.transport["auth"],
            "encrypted": shell.transport["encrypted"], "user": shell.user.principal, "elevated": shell.user.elevated,
            "shell_id": shell.id, "command_id": command_id, "codepage": shell.codepage,
            "command": command, "arguments": arguments, "command_line": " ".join([command, *arguments]),
            "skip_cmd_shell": skip_cmd_shell, "consolemode_stdin": consolemode_stdin,
            "environment": shell.environment, "program": None, "script": None, "scripts": []}

    # The process side.

    def start(self, program):
        threading.Thread(target=self._run, args=(program,), name=f"command-{self.id[:8]}", daemon=True).start()

    def _run(self, program):
        ctx = ExecutionContext(self)
        try:
            code = program(ctx)
        except Exception as error:  # an emulator bug: say so on stderr, never exit 0
            ctx.err(f"emulator: internal error: {type(error).__name__}: {error}\r\n")
            code = 98
        self._finish(code)

    def write(self, stream, data):
        if not data:
            return
        with self.cond:
            seen = self.stdout_seen if stream == "stdout" else self.stderr_seen
            if len(seen) < RECORD_OUTPUT_LIMIT:
                seen += data[:RECORD_OUTPUT_LIMIT - len(seen)]
            if self.finished:
                return
            if self.output and self.output[-1][0] == stream:
                self.output[-1][1] += data
            else:
                self.output.append([stream, bytearray(data)])
            self.cond.notify_all()

    def read_stdin(self):
        """All of stdin once the client sent End="true" (b"" when cancelled or already read)."""
        with self.cond:
            self.cond.wait_for(lambda: self.stdin_end or self.cancel.is_set())
            if self.stdin_read or not self.stdin_end:
                return b""
            self.stdin_read = True
            return bytes(self.stdin)

    def _finish(self, code):
        with self.cond:
            if self.finished:
                return
            self.finished = True
            self.exit_code = code
            self.cond.notify_all()
        codec = self.shell.codec
        self.record.update({
            "exit_code": code, "signal": self.signal, "finished": now_iso(),
            "duration": round(time.monotonic() - self.started, 3),
            "stdin": bytes(self.stdin).decode(codec, "replace"), "stdin_end": self.stdin_end,
            "stdout": bytes(self.stdout_seen).decode(codec, "replace"),
            "stderr": bytes(self.stderr_seen).decode(codec, "replace")})
        self.shell.host.records.write(self.record)

    # The WinRS side.

    def state_name(self):
        if not self.finished:
            return "running"
        return "done" if self.done_delivered else "finished"

    def send(self, data, end):
        with self.cond:
            if self.finished or self.stdin_end:
                raise faults.pipe_closing()
            self.stdin += data
            if end:
                self.stdin_end = True
            self.cond.notify_all()

    def stop(self, signal):
        """Signal terminate/ctrl_c, or the shell's deletion: the running program sees `cancel` and ends."""
        with self.cond:
            if self.signal is None and not self.finished:
                self.signal = signal
            self.cancel.set()
            self.cond.notify_all()

    def receive(self, streams, timeout, budget):
        """[(stream, bytes)], done, exit_code — or raises the TimedOut fault after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while not self._has_output(streams) and not self.finished:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise faults.operation_timeout()
                self.cond.wait(remaining)
            if not self.finished:  # let a burst of writes (or the end) arrive together, as Windows batches them
                self.cond.wait_for(lambda: self.finished, timeout=RECEIVE_BATCH_SECONDS)
            chunks = []
            while self.output:
                stream, data = self.output[0]
                if stream not in streams:
                    self.output.pop(0)
                    continue
                take = budget.take(len(data))
                if take <= 0:
                    break
                chunks.append((stream, bytes(data[:take])))
                if take < len(data):
                    del data[:take]
                    break
                self.output.pop(0)
            done = self.finished and not self._has_output(streams)
            if done:
                self.done_delivered = True
            return chunks, done, self.exit_code

    def _has_output(self, streams):
        return any(stream in streams for stream, _ in self.output)


class ExecutionContext:
    """What a program (cmdexe, powershell) sees of its process: streams, stdin, environment, user, host."""

    def __init__(self, command):
        self.command = command
        self.shell = command.shell
        self.host = command.shell.host
        self.user = command.shell.user
        self.codec = command.shell.codec
        self.env = command.shell.process_environment()
        self.cancel = command.cancel
        self.working_directory = command.shell.working_directory or f"C:\\Users\\{self.user.name}"
        self.errorlevel = 0
        self._redirections = [("stdout", "stderr")]

    def out(self, text):
        self._write(0, text)

    def err(self, text):
        self._write(1, text)

    def _write(self, which, text):
        destination = self._redirections[-1][which]
        if destination:
            self.command.write(destination, text.encode(self.codec, "replace"))

    def push_redirection(self, stdout_to, stderr_to):
        current = {"stdout": self._redirections[-1][0], "stderr": self._redirections[-1][1], None: None}
        self._redirections.append((current[stdout_to], current[stderr_to]))

    def pop_redirection(self):
        self._redirections.pop()

    def stdin_text(self):
        return self.command.read_stdin().decode(self.codec, "replace")

    def record_program(self, name):
        if self.command.record["program"] is None:
            self.command.record["program"] = name

    def record_script(self, script):
        self.command.record["scripts"].append(script)
        if self.command.record["script"] is None:
            self.command.record["script"] = script

    def session_host_state(self, pwsh):
        return self.host.session_state(self.user, pwsh)


class Budget:
    """Raw output bytes that still fit a ReceiveResponse under the request's MaxEnvelopeSize (base64 costs 4/3,
    each <rsp:Stream> element its tags)."""

    def __init__(self, space, stream_overhead):
        self.space = space
        self.stream_overhead = stream_overhead

    def take(self, wanted):
        available = (self.space - self.stream_overhead) // 4 * 3
        take = max(0, min(wanted, available))
        if take:
            self.space -= self.stream_overhead + (take + 2) // 3 * 4
        return take
