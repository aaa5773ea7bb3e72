# Rollback: restores the binary backed up by replace-binary in this update (the newest backup,
# named in NAME.last-backup.txt), then starts the service. When replace-binary made no backup the
# binary was not changed: only the service is started.
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
$backup = $null
if (Test-Path -LiteralPath $marker -PathType Leaf) { $backup = (Get-Content -LiteralPath $marker -TotalCount 1).Trim() }
if ($backup) {
    if (-not (Test-Path -LiteralPath $backup -PathType Leaf)) { Fail "the backup $backup named in $marker is missing" }
    if ($service.Status -ne 'Stopped') {
        try {
            Stop-Service -Name $serviceName -Force
            $service.WaitForStatus('Stopped', [TimeSpan]::FromSeconds($timeout))
        } catch {
            Fail "could not stop '$serviceName' to restore the binary: $($_.Exception.Message)"
        }
    }
    Get-Process -Name $processName -ErrorAction SilentlyContinue | Stop-Process -Force -ErrorAction SilentlyContinue
    Start-Sleep -Seconds 1
    Copy-Item -LiteralPath $backup -Destination $target -Force
    if ((Get-Sha256 $target) -ne (Get-Sha256 $backup)) { Fail "restoring $backup to $target failed: the hashes differ" }
    "restored:  $target from $backup (version $(Get-FileVersion $target))"
    Remove-Item -LiteralPath $marker -Force
} else {
    "restored:  nothing: this update made no backup, so $target was not replaced"
}
$service.Refresh()
if ($service.Status -ne 'Running') {
    try {
        Start-Service -Name $serviceName
        $service.WaitForStatus('Running', [TimeSpan]::FromSeconds($timeout))
    } catch {
        Fail "restored the binary but '$serviceName' did not start: $($_.Exception.Message)"
    }
}
"service:   Running"
