# Rollback: puts the service back in the status saved before the change (NAME.prev): started again
# when it was running, stopped when it was not. Fails when there is no saved state or the status is
# not reached within PARAM_WAIT_SECONDS.
# --- shared prelude (same in every script of this tool) ---
function Fail([string]$Message, [int]$Code = 1) {
    [Console]::Error.WriteLine("error: $Message")
    exit $Code
}
$name = $PARAM_SERVICE
$wait = 30
if ($PARAM_WAIT_SECONDS) { $wait = [int]$PARAM_WAIT_SECONDS }
$stateDir = Join-Path $env:ProgramData 'pcm-ops\windows-service'
$service = Get-Service -Name $name -ErrorAction SilentlyContinue
if (-not $service) { Fail "service '$name' does not exist on $env:COMPUTERNAME" 3 }
$name = $service.Name
$prevFile = Join-Path $stateDir "$name.prev"
# --- end of prelude ---

if (-not (Test-Path -LiteralPath $prevFile -PathType Leaf)) {
    Fail "no saved state for $name ($prevFile); nothing to restore"
}
$prev = ([string](Get-Content -LiteralPath $prevFile -TotalCount 1)).Trim()
if ($prev -in 'Running', 'StartPending', 'ContinuePending') {
    $want = 'Running'
} elseif ($prev -in 'Stopped', 'StopPending') {
    $want = 'Stopped'
} else {
    Fail "the saved state '$prev' in $prevFile is neither running nor stopped; not restoring it"
}
"rollback:  $name was $prev before the change, is $($service.Status) now"
try {
    if ($want -eq 'Running' -and $service.Status -ne 'Running') {
        Start-Service -Name $name
    } elseif ($want -eq 'Stopped' -and $service.Status -ne 'Stopped') {
        Stop-Service -Name $name -Force
    }
    $service.WaitForStatus($want, [TimeSpan]::FromSeconds($wait))
} catch {
    $service.Refresh()
    Fail "rollback could not restore ${name}: it is $($service.Status), expected $want. $($_.Exception.Message)"
}
"rollback:  $name is $want again"
