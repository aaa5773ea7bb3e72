"""Every PowerShell script of the catalog parses with a real PowerShell grammar (PyPI
tree-sitter-powershell): the files, the inline scripts, and the scripts as OpsCore renders them
(parameter prelude with quotes, typographic quotes and CJK). Also the manifests of the Windows tools:
the ids, parameters and flags other parts of the product rely on."""
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "winrm_emulator"))

from pwsh import syntax_problems  # noqa: E402
from pwsh.catalog import (BOOTSTRAP, ELEVATION_CHECK, TOOLS, ParameterError, load_tool, quote,  # noqa: E402
                          render, script_of)

WINDOWS_TOOLS = ["windows-system", "windows-service", "windows-service-update"]
PS1_FILES = sorted(TOOLS.glob("*/*.ps1"))


def powershell_actions():
    for tool_dir in sorted(TOOLS.iterdir()):
        if not (tool_dir / "tool.yml").exists():
            continue
        tool = load_tool(tool_dir.name)
        for action in tool["actions"]:
            if action.get("interpreter") == "powershell":
                yield tool_dir.name, action


def test_the_windows_tools_have_powershell_scripts():
    assert set(WINDOWS_TOOLS) <= {path.parent.name for path in PS1_FILES}
    assert len(PS1_FILES) >= 18


@pytest.mark.parametrize("path", PS1_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_ps1_parses(path):
    assert syntax_problems(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("tool_id,action", list(powershell_actions()), ids=lambda v: v if isinstance(v, str)
                         else v["id"])
def test_every_powershell_phase_is_a_file_that_parses_or_an_inline_script_that_parses(tool_id, action):
    for phase in ("script", "validation", "rollback"):
        try:
            origin, text = script_of(tool_id, action, phase)
        except KeyError:
            continue
        assert syntax_problems(text) == [], f"{tool_id}.{action['id']} {phase} ({origin})"


def test_every_ps1_file_is_used_by_an_action():
    used = set()
    for tool_id, action in powershell_actions():
        for key in ("script_file", "validation_file", "rollback_file"):
            if key in action:
                used.add((tool_id, action[key]))
    assert {(path.parent.name, path.name) for path in PS1_FILES} == used


NASTY = ["it's", "O\u2019Brien \u2018quoted\u2019", "\u6771\u4eac\u30b5\u30fc\u30d3\u30b9 \u670d\u52a1", "$(calc)",
         "`n back`tick", "a\"b", "\u201a\u201b", "'", "''", "@'", "x' ; calc ; '"]


@pytest.mark.parametrize("value", NASTY)
def test_rendered_values_with_quotes_and_cjk_parse_and_stay_one_string(value):
    text = "\n".join(["# pcm-ops: parameters", "$ErrorActionPreference = 'Stop'", f"$PARAM_VALUE = {quote(value)}",
                      "# pcm-ops: script tool.yml", "$PARAM_VALUE"]) + "\n"
    assert syntax_problems(text) == []
    from pwsh import HostState
    from pwsh.testing import run
    result = run(text, HostState.default())
    assert result.code == 0 and result.lines == [value], str(result)


def test_rendered_tool_scripts_parse_with_every_kind_of_value():
    cases = [
        ("windows-system", "ping", {}), ("windows-system", "disk", {"threshold": "75"}),
        ("windows-system", "service-status", {"service": "MSSQL$SQLEXPRESS"}),
        ("windows-system", "process-status", {"process": "Station Controller.exe"}),
        ("windows-service", "restart", {"service": "Print Spooler 2", "wait_seconds": "0"}),
        ("windows-service-update", "replace-binary",
         {"source_path": "\\\\fs01\\deploy\\Station Controller\\\u6771\u4eac.exe",
          "target_path": "C:\\Program Files\\O\u2019Brien\\sc.exe", "backup_dir": r"D:\backups\sc"}),
    ]
    for tool_id, action_id, params in cases:
        for phase in ("script", "validation", "rollback"):
            try:
                _, text = render(tool_id, action_id, phase, **params)
            except KeyError:
                continue
            assert text.startswith("# pcm-ops: parameters\n$ErrorActionPreference = 'Stop'\n")
            assert syntax_problems(text) == [], f"{tool_id}.{action_id} {phase}"


def test_parameters_refuse_what_would_break_out_of_the_quotes_or_the_filters():
    for bad in ["Spooler'; calc", "a*", "x\\y", "a[b]", "name\"", ""]:
        with pytest.raises(ParameterError):
            render("windows-service", "restart", service=bad)
    for bad in ["calc'", "a/b", "x$y"]:
        with pytest.raises(ParameterError):
            render("windows-system", "process-status", process=bad)
    with pytest.raises(ParameterError):
        render("windows-system", "disk", threshold="101")
    with pytest.raises(ParameterError):
        render("windows-service", "stop", service="Spooler", wait_seconds="601")


def test_the_bootstrap_and_the_elevation_check_parse():
    assert syntax_problems(BOOTSTRAP) == []
    assert syntax_problems(ELEVATION_CHECK) == []
    assert BOOTSTRAP.splitlines()[-1] == "& ([ScriptBlock]::Create($pcmScript))"


def test_the_parse_check_catches_what_powershell_refuses():
    assert syntax_problems("if ($x { 'a' }") != []
    assert syntax_problems("$x = 'unterminated") != []
    assert syntax_problems("$size / 1GB") != [], "tree-sitter-powershell reads only lower-case size suffixes"
    assert syntax_problems('"error: $name: broken"') != [], "PowerShell reads $name: as a drive-qualified name"
    assert syntax_problems('"fine: ${name}: $($name): $env:TEMP"') == []
    assert syntax_problems("function F {\n    param([int]$a = 2)\n    $a * 2\n}") == []


# --- the manifests ------------------------------------------------------------------------------------

def flags(action):
    return {key: action.get(key, False) for key in ("requires_admin", "destructive", "idempotent")}


def test_windows_system_manifest():
    tool = load_tool("windows-system")
    assert tool["platforms"] == ["windows"]
    actions = {a["id"]: a for a in tool["actions"]}
    assert list(actions) == ["ping", "uptime", "disk", "memory", "service-status", "process-status"]
    for action in actions.values():
        assert action["interpreter"] == "powershell"
        assert flags(action) == {"requires_admin": False, "destructive": False, "idempotent": True}
        assert 1 <= action["timeout"] <= 120
    assert [p["name"] for p in actions["disk"]["parameters"]] == ["threshold"]
    assert actions["disk"]["parameters"][0]["default"] == "90"
    assert [p["name"] for p in actions["service-status"]["parameters"]] == ["service"]
    assert [p["name"] for p in actions["process-status"]["parameters"]] == ["process"]
    health = tool["workflows"][0]
    assert health["id"] == "health"
    assert [s["action"] for s in health["steps"]] == ["ping", "uptime", "disk", "memory"]


def test_windows_service_manifest():
    tool = load_tool("windows-service")
    assert tool["platforms"] == ["windows"]
    actions = {a["id"]: a for a in tool["actions"]}
    assert list(actions) == ["status", "start", "stop", "restart"]
    assert [p["name"] for p in actions["status"]["parameters"]] == ["service"]
    assert [p["name"] for p in tool["parameters"]] == ["service", "wait_seconds"]
    assert flags(actions["status"]) == {"requires_admin": False, "destructive": False, "idempotent": True}
    assert flags(actions["start"]) == {"requires_admin": True, "destructive": False, "idempotent": True}
    for action_id in ("stop", "restart"):
        assert flags(actions[action_id]) == {"requires_admin": True, "destructive": True, "idempotent": True}
    for action_id, check in (("start", "is-running.ps1"), ("stop", "is-stopped.ps1"), ("restart", "is-running.ps1")):
        assert actions[action_id]["validation_file"] == check
        assert actions[action_id]["rollback_file"] == "restore.ps1"
    safe = tool["workflows"][0]
    assert safe["id"] == "safe-restart"
    steps = [(s["action"], s.get("on_failure", "stop")) for s in safe["steps"]]
    assert steps == [("status", "stop"), ("restart", "rollback")]
    assert re.fullmatch(tool["parameters"][0]["pattern"], "MSSQL$SQLEXPRESS")


def test_windows_service_update_manifest_is_unchanged_in_what_others_use():
    tool = load_tool("windows-service-update")
    assert [a["id"] for a in tool["actions"]] == ["check-process", "stop-service", "replace-binary", "start-service",
                                                  "verify"]
    assert [p["name"] for p in tool["parameters"]] == ["service_name", "process_name", "source_path", "target_path",
                                                       "backup_dir", "stop_timeout", "keep_backups"]


# --- the renderer here is OpsCore's, byte for byte ----------------------------------------------------------

RENDER_CASES = [
    ("windows-system", "disk", {"threshold": "80"}),
    ("windows-system", "process-status", {"process": "Station Controller.exe"}),
    ("windows-service", "restart", {"service": "MSSQL$SQL EXPRESS"}),
    ("windows-service-update", "verify", {"source_path": "\\\\fs01\\drop\\O\u2019Brien\u2018s.exe",
                                          "target_path": "C:\\Program Files\\\u6771\u4eac\\a'b.exe"}),
]


@pytest.mark.parametrize("tool_id,action_id,params", RENDER_CASES, ids=lambda v: v if isinstance(v, str) else "")
def test_rendering_matches_the_swift_renderer(tool_id, action_id, params, tmp_path):
    import hashlib
    import os

    from conftest import BINARY, cli
    if not os.path.exists(BINARY):
        pytest.skip("no pcm-ops binary")
    data_dir = str(tmp_path / "data")
    listed = cli("tools", "list", "--output", "json").stdout
    if f'"{tool_id}"' not in listed:
        pytest.skip(f"this pcm-ops build has no {tool_id}")
    cli("targets", "add", "win", "--address", "127.0.0.1", "--port", "5986", "--os", "windows", "--transport",
        "winrm", data_dir=data_dir)
    args = ["run", f"{tool_id}.{action_id}", "--target", "win", "--dry-run"]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    shown = cli(*args, data_dir=data_dir).stdout
    for phase in ("script", "validation", "rollback"):
        try:
            _, text = render(tool_id, action_id, phase, **params)
        except KeyError:
            continue
        label = {"script": "action", "validation": "validation", "rollback": "rollback"}[phase]
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert re.search(rf"--- {label} script \([^)]*, sha256 {digest}\) ---", shown), f"{phase}:\n{shown}"
