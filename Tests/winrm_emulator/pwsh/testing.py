"""Helpers for tests: run a script and keep what it emitted; run a catalog action or workflow the
way the engine and the WinRM transport do (elevation check for requires_admin steps, the bootstrap
with the rendered script on stdin, the validation after the action, the rollback on failure)."""
import threading
from dataclasses import dataclass, field

from . import run_script
from .catalog import BOOTSTRAP, ELEVATION_CHECK, action_of, load_tool, render


@dataclass
class Result:
    code: int
    records: list = field(default_factory=list)

    @property
    def stdout(self):
        return "\n".join(text for kind, text in self.records if kind == "stdout")

    @property
    def lines(self):
        return [text for kind, text in self.records if kind == "stdout"]

    @property
    def stderr(self):
        return "".join(text for kind, text in self.records if kind == "stderr")

    @property
    def errors(self):
        return [text for kind, text in self.records if kind == "error"]

    @property
    def progress(self):
        return [text for kind, text in self.records if kind == "progress"]

    def __str__(self):
        return f"exit {self.code}\n" + "\n".join(f"[{kind}] {text}" for kind, text in self.records)


def run(script, host, stdin="", cancel=None):
    records = []
    code = run_script(script, host, stdin, lambda kind, text: records.append((kind, text)),
                      cancel or threading.Event())
    return Result(code, records)


def run_phase(host, tool_id, action_id, phase="script", **params):
    """One phase of an action, sent as the transport sends it: the bootstrap, the script on stdin."""
    _, text = render(tool_id, action_id, phase, **params)
    return run(BOOTSTRAP, host, stdin=text)


@dataclass
class Step:
    action: str
    status: str
    results: dict


def run_workflow(host, tool_id, workflow_id, **params):
    """The steps of a workflow on one host, as the engine runs them; returns the Steps run."""
    tool = load_tool(tool_id)
    workflow = next(w for w in tool["workflows"] if w["id"] == workflow_id)
    steps = []
    for step in workflow["steps"]:
        action = action_of(tool, step["action"])
        given = {k: v for k, v in params.items()
                 if k in {s["name"] for s in (action.get("parameters", tool.get("parameters", [])))}}
        results = {}
        status = "ok"
        if action.get("requires_admin"):
            check = run(ELEVATION_CHECK, host)
            results["admin"] = check
            if check.lines != ["elevated"]:
                status = "admin"
        if status == "ok":
            results["script"] = run_phase(host, tool_id, action["id"], **given)
            if results["script"].code != 0:
                status = "failed"
            elif "validation_file" in action or "validation" in action:
                results["validation"] = run_phase(host, tool_id, action["id"], "validation", **given)
                if results["validation"].code != 0:
                    status = "failed"
        policy = step.get("on_failure", "stop")
        if status == "failed" and policy == "rollback":
            results["rollback"] = run_phase(host, tool_id, action["id"], "rollback", **given)
        steps.append(Step(action["id"], status, results))
        if status != "ok" and policy != "continue":
            break
    return steps
