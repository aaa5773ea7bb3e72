# Validation: the service is Running within PARAM_WAIT_SECONDS (default 30); exit 1 otherwise.
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

try {
    $service.WaitForStatus('Running', [TimeSpan]::FromSeconds($wait))
} catch {
    $service.Refresh()
    Fail "service '$name' is $($service.Status), expected Running (waited $wait s)"
}
"check:     $name is Running"
