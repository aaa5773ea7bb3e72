# Windows service update: backs up the current binary to backup_dir as NAME.yyyyMMdd-HHmmss.EXT,
# copies the new one from source_path over it and checks its SHA-256 against the source. Keeps the
# newest keep_backups backups. The rollback (restore-backup.ps1) restores the backup made here.
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

$keep = [int](Get-Param 'KEEP_BACKUPS' '5')
if (Test-Path -LiteralPath $marker) { Remove-Item -LiteralPath $marker -Force }
if (-not (Test-Path -LiteralPath $source -PathType Leaf)) { Fail "source $source is not reachable" }
if (-not (Test-Path -LiteralPath $target -PathType Leaf)) { Fail "target $target does not exist" }
$service = Get-Service -Name $serviceName -ErrorAction SilentlyContinue
if ($service -and $service.Status -ne 'Stopped') { Fail "service '$serviceName' is $($service.Status); stop it first" }
$sourceHash = Get-Sha256 $source
$oldHash = Get-Sha256 $target

New-Item -ItemType Directory -Force -Path $backupDir | Out-Null
$backup = Join-Path $backupDir ("{0}.{1}{2}" -f $baseName, (Get-Date -Format 'yyyyMMdd-HHmmss'), $extension)
Copy-Item -LiteralPath $target -Destination $backup -Force
if ((Get-Sha256 $backup) -ne $oldHash) { Fail "the backup $backup does not match $target; nothing replaced" }
Set-Content -LiteralPath $marker -Value $backup -Encoding UTF8
"backup:    $backup (version $(Get-FileVersion $backup), sha256 $oldHash)"

try {
    Copy-Item -LiteralPath $source -Destination $target -Force
} catch {
    Fail "copying $source to $target failed: $($_.Exception.Message)"
}
$newHash = Get-Sha256 $target
if ($newHash -ne $sourceHash) { Fail "after the copy $target has sha256 $newHash, the source $sourceHash" }
"replaced:  $target (version $(Get-FileVersion $target), sha256 $newHash)"

$old = @(Get-ChildItem -LiteralPath $backupDir -File -Filter "$baseName.*$extension" |
    Where-Object { $_.Name -match ('^' + [regex]::Escape($baseName) + '\.\d{8}-\d{6}' + [regex]::Escape($extension) + '$') } |
    Sort-Object Name -Descending | Select-Object -Skip $keep)
foreach ($file in $old) { Remove-Item -LiteralPath $file.FullName -Force }
if ($old.Count -gt 0) { "pruned:    $($old.Count) old backup(s), keeping $keep" }
