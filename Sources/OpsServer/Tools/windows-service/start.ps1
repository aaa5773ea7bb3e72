# Starts a Windows service. First saves the service's status to
# %ProgramData%\pcm-ops\windows-service\NAME.prev so that restore.ps1 can put it back. Exit 3 when
# the service does not exist.
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

# The state folder is under ProgramData, where any user may create folders and files: refuse a
# junction or symbolic link on the way, and write a new file rather than into one found there.
function Save-State {
    New-Item -ItemType Directory -Force -Path $stateDir | Out-Null
    foreach ($part in @((Split-Path -Parent $stateDir), $stateDir)) {
        if ((Get-Item -LiteralPath $part -Force).Attributes -band [IO.FileAttributes]::ReparsePoint) {
            Fail "$part is a junction or symbolic link; refusing to keep state there"
        }
    }
    if (Test-Path -LiteralPath $prevFile) { Remove-Item -LiteralPath $prevFile -Force }
    Set-Content -LiteralPath $prevFile -Value ([string]$service.Status) -Encoding ASCII
}

$before = [string]$service.Status
$cim = Get-CimInstance -ClassName Win32_Service -Filter "Name='$name'"
if ($cim.StartMode -eq 'Disabled') {
    Fail "service '$name' is disabled; set its start type to Manual or Automatic first"
}
Save-State
"service:   $name ($($service.DisplayName))"
"before:    $before (saved to $prevFile)"
"action:    Start-Service $name"
try {
    Start-Service -Name $name
} catch {
    $service.Refresh()
    Fail "Start-Service $name failed: $($_.Exception.Message) The service is now $($service.Status)."
}
$service.Refresh()
"after:     $($service.Status)"
