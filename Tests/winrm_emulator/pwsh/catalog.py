"""The catalog's PowerShell actions rendered exactly as OpsCore's ScriptRenderer renders them
(`# pcm-ops: parameters`, `$ErrorActionPreference = 'Stop'`, `$PARAM_X = '…'` with every single
quote, typographic ones included, doubled, `# pcm-ops: script ORIGIN`, the script), after the
parameter checks of ParameterValidator. For tests and the emulator; the Swift code stays the
reference."""
import re
from pathlib import Path

import yaml

TOOLS = Path(__file__).resolve().parents[3] / "Tools"
SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"

BOOTSTRAP = "\n".join([
    "$ErrorActionPreference = 'Stop'",
    "$utf8 = New-Object System.Text.UTF8Encoding $false",
    "[Console]::InputEncoding = $utf8",
    "[Console]::OutputEncoding = $utf8",
    "$pcmScript = [Console]::In.ReadToEnd()",
    "& ([ScriptBlock]::Create($pcmScript))",
])

ELEVATION_CHECK = (
    "if (([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole("
    "[Security.Principal.WindowsBuiltInRole]::Administrator)) { 'elevated' } else { 'not-elevated' }")


class ParameterError(ValueError):
    pass


def load_tool(tool_id):
    with open(TOOLS / tool_id / "tool.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def action_of(tool, action_id):
    for action in tool["actions"]:
        if action["id"] == action_id:
            return action
    raise KeyError(f"{tool['id']} has no action {action_id}")


def specs_of(tool, action):
    return action["parameters"] if "parameters" in action else tool.get("parameters", [])


def script_of(tool_id, action, phase="script"):
    inline, file_key = {"script": ("script", "script_file"), "validation": ("validation", "validation_file"),
                        "rollback": ("rollback", "rollback_file")}[phase]
    if inline in action:
        return "tool.yml", action[inline]
    if file_key in action:
        return action[file_key], (TOOLS / tool_id / action[file_key]).read_text(encoding="utf-8")
    raise KeyError(f"{tool_id}.{action['id']} has no {phase} script")


def validate(specs, given):
    """The values ParameterValidator accepts (defaults filled in), or ParameterError."""
    names = {spec["name"] for spec in specs}
    for name in given:
        if name not in names:
            raise ParameterError(f"unknown parameter {name}")
    values = {}
    for spec in specs:
        value = given.get(spec["name"], spec.get("default"))
        if value is None:
            if spec.get("required"):
                raise ParameterError(f"{spec['name']} is required")
            continue
        value = str(value)
        kind = spec.get("type", "string")
        if kind == "string":
            if len(value) > spec.get("max_length", 128 * 1024):
                raise ParameterError(f"{spec['name']} is too long")
            if "pattern" in spec and not re.fullmatch(spec["pattern"], value):
                raise ParameterError(f"{spec['name']} does not match {spec['pattern']}")
        elif kind == "int":
            if not re.fullmatch(r"-?\d+", value):
                raise ParameterError(f"{spec['name']} is not a whole number")
            number = int(value)
            if ("min" in spec and number < spec["min"]) or ("max" in spec and number > spec["max"]):
                raise ParameterError(f"{spec['name']} is out of range")
            value = str(number)
        elif kind == "bool":
            value = {"true": "true", "yes": "true", "1": "true", "on": "true",
                     "false": "false", "no": "false", "0": "false", "off": "false"}[value.lower()]
        elif kind == "enum" and value not in spec["values"]:
            raise ParameterError(f"{spec['name']} is not one of {spec['values']}")
        values[spec["name"]] = value
    return values


def quote(value):
    out = "'"
    for char in value:
        out += char + (char if char in SINGLE_QUOTES else "")
    return out + "'"


def render_text(origin, text, specs, values):
    lines = ["# pcm-ops: parameters", "$ErrorActionPreference = 'Stop'"]
    lines += [f"$PARAM_{spec['name'].upper()} = {quote(values[spec['name']])}" for spec in specs
              if spec["name"] in values]
    lines.append(f"# pcm-ops: script {origin}")
    return "\n".join(lines) + "\n" + text + ("" if text.endswith("\n") else "\n")


def render(tool_id, action_id, phase="script", **params):
    """(action, rendered text) of one phase of a catalog action with these parameter values."""
    tool = load_tool(tool_id)
    action = action_of(tool, action_id)
    specs = specs_of(tool, action)
    values = validate(specs, {key: str(value) for key, value in params.items()})
    origin, text = script_of(tool_id, action, phase)
    return action, render_text(origin, text, specs, values)
