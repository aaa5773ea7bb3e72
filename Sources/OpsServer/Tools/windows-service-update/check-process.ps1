# Windows service update, check: the service exists (status, start type, binary path), its process,
# the current target binary (version, SHA-256) and the new one at source_path (reachable, version,
# SHA-256), and the backups so far. Changes nothing; fails when the service, the target or the
# source is missing.
# --- shared prelude (same in every script of this tool) ---
function Get-Param([string]$Name, [string]$Default = '') {
    $value = Get-Variable -Name "PARAM_$Name" -ValueOnly -ErrorAction SilentlyContinue
    if ([string]::IsNullOrEmpty($value)) { return $Default }
    return [string]$value
}
function Fail([string]$Message) {
    [Console]::Error.WriteLine("error: $Message")
    exit 1
}
function Get-Sha256([string]$Path) { (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash }
function Get-FileVersion([string]$Path) {
    $version = (Get-Item -LiteralPath $Path).VersionInfo.FileVersion
    if ($version) { return $version.Trim() }
    return 'n/a'
}
$serviceName = Get-Param 'SERVICE_NAME' 'StationController'
$source = Get-Param 'SOURCE_PATH'
$target = Get-Param 'TARGET_PATH'
if (-not $source) { Fail 'source_path is required' }
if (-not $target) { Fail 'target_path is required' }
$processName = (Get-Param 'PROCESS_NAME' ([IO.Path]::GetFileNameWithoutExtension($target))) -replace '\.exe$', ''
$backupDir = Get-Param 'BACKUP_DIR' (Join-Path (Split-Path -Parent $target) 'backup')
$timeout = [int](Get-Param 'STOP_TIMEOUT' '120')
$baseName = [IO.Path]::GetFileNameWithoutExtension($target)
$extension = [IO.Path]::GetExtension($target)
# The backup replace-binary made in this update (restore-backup.ps1 restores it).
$marker = Join-Path $backupDir "$baseName.last-backup.txt"
# --- end of prelude ---

$service = Get-Service -Name $serviceName -ErrorAction SilentlyContinue
if (-not $service) { Fail "service '$serviceName' does not exist on $env:COMPUTERNAME" }
$cim = Get-CimInstance -ClassName Win32_Service -Filter "Name='$($service.Name)'"
"service:   $($service.Name) ($($service.DisplayName)): $($service.Status), start $($cim.StartMode)"
$pathName = [string]$cim.PathName
"binary:    $pathName"
$binary = if ($pathName.StartsWith('"')) { $pathName.Split('"')[1] } else { ($pathName -split '(?<=\.exe)\s', 2)[0] }
if ($binary -and ($binary -ne $target)) {
    "note:      the service runs $binary, not target_path $target"
}
$processes = @(Get-Process -Name $processName -ErrorAction SilentlyContinue)
if ($processes.Count -gt 0) {
    "process:   $processName running (PID $(($processes | ForEach-Object { $_.Id }) -join ', '))"
} else {
    "process:   no $processName process"
}
if (-not (Test-Path -LiteralPath $target -PathType Leaf)) { Fail "target $target does not exist; check target_path" }
$targetItem = Get-Item -LiteralPath $target
$targetHash = Get-Sha256 $target
"current:   $target, version $(Get-FileVersion $target), $($targetItem.Length) bytes, modified $($targetItem.LastWriteTime.ToString('yyyy-MM-dd HH:mm'))"
"           sha256 $targetHash"
if (-not (Test-Path -LiteralPath $source -PathType Leaf)) { Fail "source $source is not reachable from $env:COMPUTERNAME" }
$sourceHash = Get-Sha256 $source
"new:       $source, version $(Get-FileVersion $source), $((Get-Item -LiteralPath $source).Length) bytes"
"           sha256 $sourceHash"
if ($sourceHash -eq $targetHash) { "note:      the target already is the new binary" }
if (Test-Path -LiteralPath $backupDir -PathType Container) {
    $backups = @(Get-ChildItem -LiteralPath $backupDir -File -Filter "$baseName.*$extension" | Sort-Object Name -Descending)
    $newest = if ($backups.Count -gt 0) { ", newest $($backups[0].Name)" } else { '' }
    "backups:   $($backups.Count) in $backupDir$newest"
} else {
    "backups:   none yet ($backupDir will be created)"
}
