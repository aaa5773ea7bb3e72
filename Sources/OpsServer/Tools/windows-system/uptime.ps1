# Uptime: when the host booted and how long ago, the Windows version, CPU load and the number of
# processes. Changes nothing.
$os = Get-CimInstance -ClassName Win32_OperatingSystem
$boot = $os.LastBootUpTime
$up = (Get-Date) - $boot
$load = (Get-CimInstance -ClassName Win32_Processor | Measure-Object -Property LoadPercentage -Average).Average
$loadText = if ($null -ne $load) { '{0:N0}%' -f $load } else { 'n/a' }
"host:      $env:COMPUTERNAME"
"windows:   $($os.Caption) ($($os.Version))"
"booted:    $($boot.ToString('yyyy-MM-dd HH:mm:ss'))"
"uptime:    $($up.Days)d $($up.Hours)h $($up.Minutes)m"
"load:      $loadText CPU (cpus: $([Environment]::ProcessorCount)), $(@(Get-Process).Count) processes"
