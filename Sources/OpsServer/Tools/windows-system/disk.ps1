# Usage of the local fixed disks; exit 1 when any is fuller than PARAM_THRESHOLD percent (default
# 90), naming the disks on stderr. Changes nothing.
$threshold = 90
if ($PARAM_THRESHOLD) { $threshold = [int]$PARAM_THRESHOLD }
$disks = @(Get-CimInstance -ClassName Win32_LogicalDisk -Filter 'DriveType=3' | Sort-Object DeviceID)
if ($disks.Count -eq 0) {
    [Console]::Error.WriteLine("error: no local fixed disk found on $env:COMPUTERNAME")
    exit 1
}
$full = @()
'{0,-6} {1,10} {2,10} {3,7}' -f 'DRIVE', 'SIZE(GB)', 'FREE(GB)', 'USED'
foreach ($disk in $disks) {
    $size = [double]$disk.Size
    $free = [double]$disk.FreeSpace
    $used = 0
    if ($size -gt 0) { $used = 100 * ($size - $free) / $size }
    $flag = ''
    if ($used -gt $threshold) {
        $flag = "  <-- above $threshold%"
        $full += '{0} {1:N1}%' -f $disk.DeviceID, $used
    }
    '{0,-6} {1,10:N1} {2,10:N1} {3,6:N1}%{4}' -f $disk.DeviceID, ($size / 1gb), ($free / 1gb), $used, $flag
}
if ($full.Count -gt 0) {
    [Console]::Error.WriteLine("error: above $threshold% used: $($full -join ', ')")
    exit 1
}
