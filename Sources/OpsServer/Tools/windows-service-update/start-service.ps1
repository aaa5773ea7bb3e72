# Windows service update: starts the service, waits up to stop_timeout seconds for Running, and
# checks that it is still running a few seconds later.
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
"before:    $($service.Status)"
try {
    Start-Service -Name $serviceName
    $service.WaitForStatus('Running', [TimeSpan]::FromSeconds($timeout))
} catch {
    $service.Refresh()
    Fail "service '$serviceName' did not start within $timeout s (status $($service.Status)): $($_.Exception.Message)"
}
Start-Sleep -Seconds 5
$service.Refresh()
if ($service.Status -ne 'Running') { Fail "service '$serviceName' stopped again after starting (status $($service.Status))" }
"after:     Running"
