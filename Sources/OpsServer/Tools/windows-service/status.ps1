# Status of a Windows service: status, start type, account, binary, process, and the status saved
# before the last change made with this tool. Exit 3 when the service does not exist. Changes
# nothing.
$name = $PARAM_SERVICE
$service = Get-Service -Name $name -ErrorAction SilentlyContinue
if (-not $service) {
    [Console]::Error.WriteLine("error: service '$name' does not exist on $env:COMPUTERNAME")
    exit 3
}
$name = $service.Name
$cim = Get-CimInstance -ClassName Win32_Service -Filter "Name='$name'"
"service:   $name ($($service.DisplayName))"
"status:    $($service.Status)"
"start:     $($cim.StartMode)"
"account:   $($cim.StartName)"
"binary:    $($cim.PathName)"
$process = $null
if ($cim.ProcessId) { $process = Get-Process -Id $cim.ProcessId -ErrorAction SilentlyContinue }
if ($process) {
    # Without elevation Windows does not tell a service process's start time.
    $started = 'n/a'
    if ($process.StartTime) { $started = $process.StartTime.ToString('yyyy-MM-dd HH:mm:ss') }
    'process:   {0} (PID {1}, {2:N0} MiB, started {3})' -f $process.ProcessName, $process.Id, ($process.WorkingSet64 / 1mb), $started
} else {
    'process:   none'
}
$prevFile = Join-Path $env:ProgramData "pcm-ops\windows-service\$name.prev"
if (Test-Path -LiteralPath $prevFile -PathType Leaf) {
    "saved:     $(([string](Get-Content -LiteralPath $prevFile -TotalCount 1)).Trim()) before the last change ($prevFile)"
}
