# Uptime, load averages and CPU count, from /proc so it works on any Linux.
set -u
read -r up _ < /proc/uptime
days=$(( ${up%.*} / 86400 )); hours=$(( ${up%.*} % 86400 / 3600 )); minutes=$(( ${up%.*} % 3600 / 60 ))
read -r load1 load5 load15 _ < /proc/loadavg
cpus=$(grep -c '^processor' /proc/cpuinfo 2>/dev/null || echo 1)
echo "host:    $(uname -n)"
echo "kernel:  $(uname -r)"
echo "uptime:  ${days}d ${hours}h ${minutes}m"
echo "load:    $load1 $load5 $load15 (cpus: $cpus)"
