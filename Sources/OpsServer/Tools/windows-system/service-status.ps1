# Whether a Windows service runs: status, start type, process. Exit 3 when it is not running, 4 when
# there is no such service; the reason goes to stderr. Changes nothing.
$name = $PARAM_SERVICE
$service = Get-Service -Name $name -ErrorAction SilentlyContinue
if (-not $service) {
    [Console]::Error.WriteLine("error: service '$name' does not exist on $env:COMPUTERNAME")
    exit 4
}
$cim = Get-CimInstance -ClassName Win32_Service -Filter "Name='$($service.Name)'"
"service:   $($service.Name) ($($service.DisplayName))"
"status:    $($service.Status)"
"start:     $($cim.StartMode)"
if ($cim.ProcessId) {
    $process = Get-Process -Id $cim.ProcessId -ErrorAction SilentlyContinue
    if ($process) {
        'process:   {0} (PID {1}, {2:N0} MiB)' -f $process.ProcessName, $process.Id, ($process.WorkingSet64 / 1mb)
    }
}
if ($service.Status -ne 'Running') {
    [Console]::Error.WriteLine("error: service '$($service.Name)' is $($service.Status), not Running")
    exit 3
}
