# Physical memory and commit charge in use, and the five processes with the largest working set.
# Changes nothing.
$os = Get-CimInstance -ClassName Win32_OperatingSystem
$total = [double]$os.TotalVisibleMemorySize * 1kb
$free = [double]$os.FreePhysicalMemory * 1kb
$commitTotal = [double]$os.TotalVirtualMemorySize * 1kb
$commitFree = [double]$os.FreeVirtualMemory * 1kb
$percent = 0
if ($total -gt 0) { $percent = 100 * ($total - $free) / $total }
'memory:    {0:N0} MiB used of {1:N0} MiB ({2:N0}%)' -f (($total - $free) / 1mb), ($total / 1mb), $percent
'commit:    {0:N0} MiB used of {1:N0} MiB' -f (($commitTotal - $commitFree) / 1mb), ($commitTotal / 1mb)
'top:'
Get-Process | Sort-Object WorkingSet64 -Descending | Select-Object -First 5 | ForEach-Object {
    '  {0,-28} PID {1,-7} {2,8:N0} MiB' -f $_.ProcessName, $_.Id, ($_.WorkingSet64 / 1mb)
}
