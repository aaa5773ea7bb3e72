# Every running instance of a process: PID, CPU time, memory, start time and path. Exit 3 when none
# runs (the reason goes to stderr). Changes nothing.
$name = $PARAM_PROCESS -replace '\.exe$', ''
$processes = @(Get-Process -Name $name -ErrorAction SilentlyContinue | Sort-Object Id)
if ($processes.Count -eq 0) {
    [Console]::Error.WriteLine("error: no process named '$name' runs on $env:COMPUTERNAME")
    exit 3
}
"process:   $name, $($processes.Count) running"
foreach ($process in $processes) {
    $cpu = 'n/a'
    if ($null -ne $process.CPU) { $cpu = '{0:N1} s' -f $process.CPU }
    $started = 'n/a'
    if ($process.StartTime) { $started = $process.StartTime.ToString('yyyy-MM-dd HH:mm:ss') }
    '  PID {0,-7} CPU {1,-10} {2,8:N1} MiB  started {3}  {4}' -f $process.Id, $cpu, ($process.WorkingSet64 / 1mb), $started, $process.Path
}
