# Windows service update, verify: the service is Running, its process is present and the target
# binary's SHA-256 is the source's. Fails listing what is not so.
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

$problems = @()
$service = Get-Service -Name $serviceName -ErrorAction SilentlyContinue
if (-not $service) {
    $problems += "service '$serviceName' does not exist"
} else {
    "service:   $($service.Status)"
    if ($service.Status -ne 'Running') { $problems += "service '$serviceName' is $($service.Status)" }
}
$processes = @(Get-Process -Name $processName -ErrorAction SilentlyContinue)
if ($processes.Count -gt 0) {
    "process:   $processName (PID $(($processes | ForEach-Object { $_.Id }) -join ', '))"
} else {
    "process:   none"
    $problems += "no $processName process"
}
if (-not (Test-Path -LiteralPath $target -PathType Leaf)) {
    $problems += "target $target is missing"
} elseif (-not (Test-Path -LiteralPath $source -PathType Leaf)) {
    $problems += "source $source is not reachable to compare"
} else {
    $targetHash = Get-Sha256 $target
    $sourceHash = Get-Sha256 $source
    "binary:    $target, version $(Get-FileVersion $target), sha256 $targetHash"
    if ($targetHash -ne $sourceHash) { $problems += "target sha256 $targetHash is not the source's $sourceHash" }
}
if ($problems.Count -gt 0) { Fail ($problems -join '; ') }
"result:    updated and running"
