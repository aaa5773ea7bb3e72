"""The PowerShell-subset interpreter of the WinRM emulator, construct by construct; and what is
outside the subset failing loudly (exit 99 with an "emulator: unsupported …" error record)."""
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "winrm_emulator"))

from pwsh import HostState  # noqa: E402
from pwsh.testing import run  # noqa: E402


def ps(script, host=None, stdin=""):
    host = host or HostState.default()
    host.real_sleep = 0
    return run(script, host, stdin)


def out(script, host=None):
    result = ps(script, host)
    assert result.code == 0, str(result)
    return result.lines


# --- literals and strings -------------------------------------------------------------------------------

def test_numbers_and_their_output():
    assert out("42; -7; 3.5; 0x1F; 2kb; 1.5mb; 10 / 4; 10 / 5; 7 % 3; 1/3; 1e20; 2 * 3 + 1") == [
        "42", "-7", "3.5", "31", "2048", "1572864", "2.5", "2", "1", "0.333333333333333", "1E+20", "7"]


def test_single_quoted_strings_are_verbatim_and_double_quoted_ones_expand():
    script = "$name = 'World'\n'Hello $name'\n\"Hello $name\"\n\"it''s\"\n'it''s'\n\"a`tb`n2\"\n\"say \"\"hi\"\"\"\n"
    assert out(script) == ["Hello $name", "Hello World", "it''s", "it's", "a\tb", "2", 'say "hi"']


def test_subexpressions_member_access_and_arrays_in_strings():
    script = "$a = @(1, 2, 3)\n$h = @{ k = 'v' }\n\"$($a.Count) items: $a, key $($h.k), $($a[1] * 10)\"\n\"$a[0]\""
    assert out(script) == ["3 items: 1 2 3, key v, 20", "1 2 3[0]"]


def test_here_strings():
    script = "$x = 'X'\n@\"\nline $x\n  two\n\"@\n@'\nno $x\n'@\n"
    assert out(script) == ["line X", "  two", "no $x"]


def test_environment_variables():
    host = HostState.default("WEB07")
    assert out("$env:COMPUTERNAME; $env:ProgramData; $env:computername", host) == ["WEB07", "C:\\ProgramData", "WEB07"]
    assert out("$env:PCM_X = 'set'; $env:PCM_X; $env:NOT_SET -eq $null") == ["set", "True"]


# --- operators ------------------------------------------------------------------------------------------

def test_comparison_operators_are_case_insensitive_and_convert_the_right_side():
    assert out("'abc' -eq 'ABC'; 'abc' -ceq 'ABC'; 5 -eq '5'; '10' -lt 9; 10 -lt '9'; $null -eq $x; 1 -ne 2") == [
        "True", "False", "True", "True", "False", "True", "True"]


def test_comparison_with_an_array_on_the_left_filters():
    assert out("(1, 2, 3, 2) -eq 2; (1, 2, 3) -gt 1 | Measure-Object | ForEach-Object { $_.Count }") == [
        "2", "2", "2"]


def test_like_match_and_matches():
    script = ("'StationController.exe' -like 'station*.EXE'\n'abc' -notlike 'a?d'\n"
              "if ('v1.2.3' -match '^v(?<major>\\d+)\\.(\\d+)') { $Matches.major; $Matches[2]; $Matches[0] }")
    assert out(script) == ["True", "True", "1", "2", "v1.2"]


def test_replace_split_join_and_format():
    script = ("'StationController.exe' -replace '\\.exe$', ''\n'a-b-c' -replace '(\\w)-(\\w)', '$2+$1'\n"
              "('a,b,,c' -split ',').Count\n('x y  z' -split ' ', 2)[1]\n(-split ' a  b ').Count\n"
              "(1, 2, 3) -join '+'\n'{0}-{1:N2}-{2,5}|{3,-4}|{0:D3}' -f 7, 1234.5, 'r', 'l'\n"
              "'{0:N0} {1:P1} {2:F3} {3:X}' -f 1234567, 0.256, 2, 255")
    assert out(script) == ["StationController", "b+a-c", "4", "y  z", "2", "1+2+3",
                           "7-1,234.50-    r|l   |007", "1,234,567 25.6 % 2.000 FF"]


def test_logical_operators_short_circuit():
    script = "function Boom { throw 'evaluated' }\n$false -and (Boom)\n$true -or (Boom)\n-not $null\n!(1)\n$true -xor $true"
    assert out(script) == ["False", "True", "True", "False", "False"]


def test_arithmetic_on_strings_arrays_and_hashtables():
    script = ("'ab' + 1\n1 + '2'\n'-' * 3\n$a = @(1) + 2 + @(3, 4); $a.Count\n$h = @{a = 1} + @{b = 2}; $h.Count\n"
              "$n = 5; $n += 2; $n -= 1; $n *= 3; $n /= 2; $n\n$i = 0; $i++; ++$i; $i\n(1..4) -join ','\n(5..3) -join ','")
    assert out(script) == ["ab1", "3", "---", "4", "2", "9", "2", "1,2,3,4", "5,4,3"]


def test_contains_in_and_type_operators():
    script = ("(1, 2, 3) -contains 2; 'b' -in 'a', 'b'; 'z' -notin 'a'; 5 -is [int]; '5' -is [string]; "
              "(5 -as [string]) -is [string]; 'x' -as [int]; @() -is [array]")
    assert out(script) == ["True", "True", "True", "True", "True", "True", "True"]


def test_casts():
    script = ("[int]'42' + 1\n[int]2.5\n[int]3.5\n[string]12 + 3\n[bool]'false'\n[bool]0\n[double]'1.5'\n"
              "([datetime]'2024-05-01 10:00:00').Day\n\"$([timespan]'01:30:00')\"\n([version]'1.2.3.4').Minor\n"
              "[char]65\n([string[]](1, 2)).Count")
    assert out(script) == ["43", "2", "4", "123", "True", "False", "1.5", "1", "01:30:00", "2", "A", "2"]


def test_a_failed_cast_ends_the_statement_or_with_stop_the_script():
    message = 'Cannot convert value "abc" to type "System.Int32". Error: "Input string was not in a correct format."'
    result = ps("[int]'abc'\n'next statement'")
    assert result.code == 0 and result.errors == [message] and result.lines == ["next statement"]
    result = ps("$ErrorActionPreference = 'Stop'\n[int]'abc'\n'not reached'")
    assert result.code == 1 and result.errors == [message] and result.lines == []


# --- collections ----------------------------------------------------------------------------------------

def test_arrays():
    script = ("$a = @(); $a.Count\n$a = @(5); $a.Count\n$b = 1, 2, 3; $b[-1]; $b[0..1] -join ''\n$b[10] -eq $null\n"
              "$c = ,(1, 2); $c.Count\n@(@(1, 2), 3).Count\n$e = @($null); $e.Count\n$b.Length")
    assert out(script) == ["0", "1", "3", "12", "True", "1", "2", "1", "3"]


def test_hashtables_and_custom_objects():
    script = ("$h = @{ Name = 'n'; 'Two Words' = 2 }\n$h.name; $h['two words']; $h.Missing -eq $null\n"
              "$h.New = 3; $h['New']; $h.ContainsKey('NAME'); $h.Count\n"
              "$o = [PSCustomObject]@{ B = 1; A = 2 }\n$o.A; ($o | Select-Object -ExpandProperty B)\n\"$o\"\n"
              "$o.B = 5; $o.B\n$ordered = [ordered]@{ z = 1; a = 2 }; $ordered.Keys -join ','")
    assert out(script) == ["n", "2", "True", "3", "True", "3", "2", "1", "@{B=1; A=2}", "5", "z,a"]


def test_member_enumeration_and_scalar_count():
    script = ("$items = @([PSCustomObject]@{ Id = 1 }, [PSCustomObject]@{ Id = 2 })\n$items.Id -join ','\n"
              "(5).Count; $null.Count; 'abc'.Length")
    assert out(script) == ["1,2", "1", "0", "3"]


def test_ranges_at_the_start_of_a_pipeline():
    script = "$r = 1..3; $r.Count\n(2..0) -join ','\nforeach ($i in 1..2) { \"i$i\" }\n1..3 | ForEach-Object { $_ * 2 }"
    assert out(script) == ["3", "2,1,0", "i1", "i2", "2", "4", "6"]


def test_destructuring_assignment():
    assert out("$a, $b = 1, 2, 3\n$a\n$b -join ','") == ["1", "2,3"]


# --- static members and methods -------------------------------------------------------------------------

def test_static_members():
    script = ("[IO.Path]::GetFileNameWithoutExtension('C:\\a\\b.c.exe')\n[IO.Path]::GetExtension('x.EXE')\n"
              "[System.IO.Path]::GetFileName('\\\\srv\\share\\f.txt')\n[IO.Path]::Combine('C:\\a', 'b', 'c.txt')\n"
              "[string]::IsNullOrEmpty(''); [string]::IsNullOrEmpty($null); [string]::IsNullOrEmpty('x')\n"
              "[string]::Join('-', @('a', 'b')); [Math]::Round(2.567, 2); [Math]::Round(2.5); [Math]::Max(3, 9)\n"
              "[TimeSpan]::FromSeconds(90).TotalMinutes; [regex]::Escape('a.b*c'); [int]::MaxValue\n"
              "[Environment]::MachineName")
    assert out(script) == ["b.c", ".EXE", "f.txt", "C:\\a\\b\\c.txt", "True", "True", "False", "a-b", "2.57", "2",
                           "9", "1.5", "a\\.b\\*c", "2147483647", "WIN01"]


def test_string_methods():
    script = ("'  x  '.Trim() + '|'\n'a,b'.Split(',')[1]\n'Hello'.ToUpper(); 'Hello'.Substring(1, 3)\n"
              "'abc'.StartsWith('AB'); 'abc'.StartsWith('ab'); 'abc'.Replace('b', 'X'); 'abc'.IndexOf('c')\n"
              "'7'.PadLeft(3, '0'); 'x.exe'.EndsWith('.exe'); 'abc'.Contains('d')")
    assert out(script) == ["x|", "b", "HELLO", "ell", "False", "True", "aXc", "2", "007", "True", "False"]


def test_dates_use_the_host_clock():
    host = HostState.default()
    script = ("$now = Get-Date\n$now.ToString('yyyy-MM-dd HH:mm:ss')\nGet-Date -Format 'yyyyMMdd-HHmmss'\n"
              "($now.AddMinutes(90) - $now).TotalHours\n((Get-Date).AddSeconds(30) -gt $now)\n$now.DayOfWeek")
    assert out(script, host) == ["2024-05-06 09:30:00", "20240506-093000", "1.5", "True", "Monday"]


def test_method_call_on_null_is_an_error():
    result = ps("$x = $null\n$x.Trim()")
    assert result.code == 1 and result.errors == ["You cannot call a method on a null-valued expression."]


# --- statements -----------------------------------------------------------------------------------------

def test_if_elseif_else_and_if_as_a_value():
    script = ("foreach ($n in 1, 5, 10) { if ($n -lt 3) { 'small' } elseif ($n -lt 7) { 'medium' } else { 'big' } }\n"
              "$v = if ($false) { 'a' } else { 'b' }; $v")
    assert out(script) == ["small", "medium", "big", "b"]


def test_loops_break_and_continue():
    script = ("$i = 0; while ($true) { $i++; if ($i -eq 2) { continue }; if ($i -gt 4) { break }; \"w$i\" }\n"
              "for ($j = 0; $j -lt 3; $j++) { \"f$j\" }\n"
              "$k = 0; do { $k++ } while ($k -lt 3); \"do $k\"\n$m = 0; do { $m++ } until ($m -ge 2); \"until $m\"\n"
              "foreach ($x in @()) { 'never' }\nforeach ($x in $null) { 'never' }")
    assert out(script) == ["w1", "w3", "w4", "f0", "f1", "f2", "do 3", "until 2"]


def test_switch():
    script = ("foreach ($v in 'apple', 'b', 7) {\n switch ($v) {\n  'apple' { 'fruit' }\n  7 { 'seven' }\n"
              "  default { \"other $_\" }\n }\n}\nswitch -wildcard ('station.exe') { '*.exe' { 'exe'; break }; "
              "'*' { 'any' } }\nswitch -regex ('v12') { '^v(\\d+)' { $Matches[1] } }")
    assert out(script) == ["fruit", "other b", "seven", "exe", "12"]


def test_functions_typed_parameters_defaults_switches_and_args():
    script = ("function Get-Sum([int]$A, [int]$B = 10) { return $A + $B }\nGet-Sum 1; Get-Sum -B 2 -A '3'\n"
              "function Show {\n    param([string]$Name = 'none', [switch]$Loud)\n    if ($Loud) { $Name.ToUpper() } "
              "else { $Name }; $args.Count\n}\nShow; Show x -Loud; Show -Name y a b\n"
              "function Multi { 'one'; 'two' }\n$r = Multi; $r.Count\n"
              "function Empty { }\n$e = Empty; $e -eq $null")
    assert out(script) == ["11", "5", "none", "0", "X", "0", "y", "2", "2", "True"]


def test_function_parameter_binding_errors():
    result = ps("function F([int]$A) { $A }\nF -Nope 1")
    assert result.code == 1 and result.errors == ["F : A parameter cannot be found that matches parameter name 'Nope'."]
    result = ps("function F([int]$A) { $A }\nF 'abc'")
    assert result.code == 1 and "Cannot process argument transformation on parameter 'A'" in result.errors[0]


def test_scopes_functions_see_the_caller_and_assign_locally():
    script = ("$x = 'outer'\nfunction Read { $x }\nfunction Write { $x = 'inner'; $x }\nfunction Global { "
              "$script:y = 'set' }\nRead; Write; $x; Global; $y")
    assert out(script) == ["outer", "inner", "outer", "set"]


def test_script_blocks_and_the_call_operator():
    script = ("$b = { param($a, $b) $a * $b }\n& $b 6 7\n$c = [ScriptBlock]::Create('\"made \" + $args[0]')\n"
              "& $c 'here'\n$v = 1; . { $v = 2 }; $v; & { $v = 3 }; $v\n$b.Invoke(2, 3)")
    assert out(script) == ["42", "made here", "2", "2", "6"]


def test_output_of_method_calls_that_return_nothing_is_not_a_value():
    script = "function F { [Console]::Out.Flush(); [void]'discarded'; $null = 'gone'; 'only' }\n$r = @(F); $r.Count"
    assert out(script) == ["1"]


# --- pipelines ------------------------------------------------------------------------------------------

def test_foreach_where_select_sort_measure():
    script = ("(1..6) | Where-Object { $_ % 2 -eq 0 } | ForEach-Object { $_ * 10 }\n"
              "'b', 'C', 'a' | Sort-Object\n3, 1, 2 | Sort-Object -Descending | Select-Object -First 2\n"
              "(1..5) | Select-Object -Skip 1 -Last 2\n"
              "$m = 4, 8 | Measure-Object -Sum -Average -Maximum; \"$($m.Count) $($m.Sum) $($m.Average) $($m.Maximum)\"\n"
              "@([PSCustomObject]@{ N = 'x'; V = 2 }, [PSCustomObject]@{ N = 'y'; V = 1 }) | Sort-Object V | "
              "ForEach-Object N\n'a', 'a', 'b' | Select-Object -Unique\n"
              "Get-Service | Where-Object Status -eq 'Stopped' | ForEach-Object { $_.Name }")
    assert out(script) == ["20", "40", "60", "a", "b", "C", "3", "2", "4", "5", "2 12 6 8", "y", "x", "a", "b",
                           "wuauserv"]


def test_select_object_properties_and_format_table():
    script = ("$rows = @([PSCustomObject]@{ Name = 'alpha'; Size = 10 }, [PSCustomObject]@{ Name = 'b'; Size = 200 })\n"
              "$rows | Select-Object 'Name', @{ Name = 'KB'; Expression = { $_.Size * 2 } } | Format-Table | Out-String")
    lines = out(script)
    assert [line.rstrip() for line in lines if line.strip()] == ["Name  KB", "----  --", "alpha 20", "b     400"]


def test_foreach_object_runs_in_the_callers_scope_and_return_skips_an_item():
    assert out("$t = 0; (1..4) | ForEach-Object { if ($_ -eq 2) { return }; $t += $_ }; $t") == ["8"]


def test_consecutive_objects_of_one_shape_make_one_table():
    lines = out("[PSCustomObject]@{ A = 1; B = 'long value' }\n[PSCustomObject]@{ A = 22; B = 'v' }\n'after'")
    assert lines == ["", "A  B", "-  -", "1  long value", "22 v", "", "after"]


def test_dollar_question_after_an_assignment_from_a_failing_command():
    assert out("$x = Get-Item C:\\nope -EA SilentlyContinue\n$?\n$y = 1\n$?") == ["False", "True"]
    assert ps("$x = Get-Item C:\\nope -EA SilentlyContinue").code == 1


def test_objects_are_shown_as_lists_or_tables():
    lines = out("[PSCustomObject]@{ Name = 'a'; Value = 1 }\nGet-Service -Name Spooler | Format-List")
    assert "Name Value" in lines and "a    1" in lines
    assert "Status      : Running" in lines and "DisplayName : Print Spooler" in lines


# --- errors ---------------------------------------------------------------------------------------------

def test_try_catch_finally_and_typed_catch():
    script = ("try { throw 'boom' } catch { \"caught $($_.Exception.Message)\" } finally { 'finally' }\n"
              "try { [int]'x' } catch [System.Management.Automation.PSInvalidCastException] { 'cast' } catch { 'other' }\n"
              "try { Get-Item C:\\missing -ErrorAction Stop } catch [System.IO.IOException] { 'io' } "
              "catch [System.Management.Automation.ItemNotFoundException] { 'not found' }\n"
              "try { try { throw 'inner' } finally { 'inner finally' } } catch { \"outer $_\" }\n"
              "try { throw 'x' } catch { try { throw } catch { \"rethrown $_\" } }")
    assert out(script) == ["caught boom", "finally", "cast", "not found", "inner finally", "outer inner",
                           "rethrown x"]


def test_non_terminating_errors_follow_the_error_action():
    result = ps("Get-Service -Name nosuch\n\"after $?\"\nGet-Service -Name nosuch -ErrorAction SilentlyContinue\n"
                "\"quiet $?\"\n$Error.Count\n$ErrorActionPreference = 'Stop'\nGet-Service -Name nosuch\n'not reached'")
    assert result.code == 1
    assert result.lines == ["after False", "quiet False", "2"]
    assert result.errors == ["Get-Service : Cannot find any service with service name 'nosuch'."] * 2


def test_statement_terminating_errors_go_on_unless_stop():
    result = ps("$x = $null\n$x.Foo()\n'next'")
    assert result.code == 0 and result.lines == ["next"] and len(result.errors) == 1
    result = ps("$ErrorActionPreference = 'Stop'\n$x = $null\n$x.Foo()\n'next'")
    assert result.code == 1 and result.lines == []


def test_write_error_and_console_error():
    result = ps("Write-Error 'soft'\n[Console]::Error.WriteLine('raw')\n[Console]::Error.Write('x')\n'done'")
    assert result.code == 0
    assert result.errors == ["soft"]
    assert result.stderr == "raw\r\nx"
    assert result.lines == ["done"]
    result = ps("Write-Error 'hard' -ErrorAction Stop\n'not reached'")
    assert result.code == 1 and result.errors == ["hard"] and result.lines == []


def test_exit_codes():
    assert ps("'a'\nexit 7\n'b'").code == 7
    assert ps("function F { exit 3 }\nF\n'b'").lines == []
    assert ps("exit").code == 0
    assert ps("throw 'x'").code == 1
    assert ps("'fine'").code == 0
    assert ps("Get-Item C:\\missing").code == 1, "powershell -Command: the last statement failed"
    assert ps("& { exit 4 }\n'after'").code == 4


def test_dollar_question_after_functions_and_the_bootstrap_exit_code():
    assert out("function F { Write-Error 'x' }\nF 2>$null\n$?\nfunction G { Get-Item C:\\nope -EA 0 }\nG\n$?") == [
        "False", "True"]
    from pwsh.catalog import BOOTSTRAP
    host = HostState.default()
    assert run(BOOTSTRAP, host, stdin="Write-Error 'written'\n'after'").code == 1
    assert run(BOOTSTRAP, host, stdin="Get-Service nope -ErrorAction SilentlyContinue\n'after'").code == 0
    assert run(BOOTSTRAP, host, stdin="'fine'").code == 0


def test_windows_powershell_5_has_no_count_on_a_single_custom_object():
    assert out("$o = [PSCustomObject]@{ a = 1 }\n$o.Count -eq $null\n@($o).Count\n(Get-Service Spooler).Count") == [
        "True", "1", "1"]


def test_console_output_without_newline_joins_the_next_line():
    assert out("[Console]::Write('a'); [Console]::Write('b'); 'c'\nWrite-Host 'x' -NoNewline; Write-Host 'y'") == [
        "abc", "xy"]


def test_write_progress_and_warning():
    result = ps("Write-Progress -Activity 'Copy' -Status 'half' -PercentComplete 50\nWrite-Warning 'careful'\n"
                "$ProgressPreference = 'SilentlyContinue'\nWrite-Progress -Activity 'hidden'")
    assert result.progress == ["Copy: half: 50%"]
    assert result.lines == ["WARNING: careful"]


def test_strict_mode_makes_undefined_variables_errors():
    result = ps("Set-StrictMode -Version Latest\n$ErrorActionPreference = 'Stop'\n$undefined\n'not reached'")
    assert result.code == 1 and "has not been set" in result.errors[0]


# --- stdin, sleeping, cancelling ------------------------------------------------------------------------

def test_console_in_reads_stdin():
    result = ps("$t = [Console]::In.ReadToEnd(); \"got $($t.Length): $t\"", stdin="abc")
    assert result.lines == ["got 3: abc"]


def test_start_sleep_advances_the_fake_clock_without_waiting_when_real_sleep_is_zero():
    host = HostState.default()
    host.real_sleep = 0
    started = time.monotonic()
    result = run("$t0 = Get-Date\nfor ($i = 0; $i -lt 30; $i++) { Start-Sleep -Seconds 1 }\n"
                 "[int]((Get-Date) - $t0).TotalSeconds", host)
    assert result.lines == ["30"]
    assert time.monotonic() - started < 5


def test_start_sleep_really_waits_and_is_cancellable():
    host = HostState.default()
    assert host.real_sleep == 1.0
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    records = []
    from pwsh import run_script
    code = run_script("'before'\nStart-Sleep -Seconds 5\n'after'", host, "", lambda k, t: records.append((k, t)),
                      cancel)
    elapsed = time.monotonic() - started
    assert code == 130 and records == [("stdout", "before")]
    assert 0.25 < elapsed < 1.5
    started = time.monotonic()
    assert run("Start-Sleep -Milliseconds 200; 'slept'", host).lines == ["slept"]
    assert time.monotonic() - started >= 0.2


def test_a_busy_loop_is_cancellable():
    host = HostState.default()
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    from pwsh import run_script
    assert run_script("while ($true) { $x = 1 }", host, "", lambda k, t: None, cancel) == 130


# --- outside the subset: loud -----------------------------------------------------------------------------

@pytest.mark.parametrize("script,named", [
    ("Invoke-Expression 'calc'", "command 'Invoke-Expression'"),
    ("Invoke-WebRequest http://example.com", "command 'Invoke-WebRequest'"),
    ("cmd.exe /c dir", "external program 'cmd.exe'"),
    ("C:\\tools\\x.exe", "external program"),
    ("class Foo { }", "statement 'class_statement'"),
    ("[System.Net.WebClient]::new()", "type [System.Net.WebClient]"),
    ("$s = Get-Service Spooler; $s.Pause()", "method 'Pause' of [System.ServiceProcess.ServiceController]"),
    ("(Get-Item C:\\Windows).GetAccessControl()", "method 'GetAccessControl' of [System.IO.DirectoryInfo]"),
    ("(Get-Service Spooler).MachineNameX", "property 'MachineNameX' of [System.ServiceProcess.ServiceController]"),
    ("Get-Service -Name Spooler -ComputerName other", "Get-Service -ComputerName"),
    ("Stop-Service Spooler -WhatIf", "-WhatIf"),
    ("Get-ChildItem HKLM:\\SOFTWARE", "the PowerShell drive in 'HKLM:\\SOFTWARE'"),
    ("'a' && 'b'", "pipeline chain operators"),
    ("Get-Date -UFormat '%s'", "Get-Date -UFormat"),
    ("Get-CimInstance Win32_BIOS", "CIM class Win32_BIOS"),
    ("function F { begin { } process { } }\nF", "'begin' block"),
    ("$x = $MyInvocation", "automatic variable $MyInvocation"),
    ("'x' > C:\\out.txt", "redirection"),
    ("'C:\\Windows' | Test-Path", "pipeline input to Test-Path"),
    ("function F { $input }\n1 | F", "pipeline input to function 'F'"),
])
def test_unsupported_constructs_fail_loudly_with_99(script, named):
    result = ps("'first'\n" + script + "\n'never'")
    assert result.code == 99, str(result)
    assert len(result.errors) == 1 and result.errors[0].startswith("emulator: unsupported "), str(result)
    assert named in result.errors[0]
    assert "at line 2" in result.errors[0] or "at line 3" in result.errors[0]
    assert "never" not in result.lines


def test_unsupported_is_not_catchable():
    result = ps("try { Invoke-Expression 'x' } catch { 'caught' } finally { 'finally runs' }")
    assert result.code == 99 and "caught" not in result.lines


def test_a_parse_error_fails_loudly_with_99():
    result = ps("'ok'\nif ($x {\n")
    assert result.code == 99 and result.lines == []
    assert result.errors[0].startswith("emulator: the script does not parse (tree-sitter-powershell): line 2")
    result = ps('"bad: $name: here"')
    assert result.code == 99 and "is not valid in a string" in result.errors[0]


def test_empty_scripts_and_comment_only_scripts_run_and_succeed():
    for script in ["", "\n  \n", "# nothing to do\n", "<# block\n comment #>"]:
        result = ps(script)
        assert (result.code, result.records) == (0, []), repr(script)


def test_a_script_block_that_does_not_parse_fails_loudly_too():
    result = ps("& ([ScriptBlock]::Create([Console]::In.ReadToEnd()))", stdin="if (")
    assert result.code == 99 and "does not parse" in result.errors[0]
