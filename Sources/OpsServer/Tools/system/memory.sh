# Memory and swap in MiB, from /proc/meminfo.
set -u
kb() { awk -v k="$1" '$1 == k":" { print $2 }' /proc/meminfo; }
total=$(kb MemTotal); available=$(kb MemAvailable); swap_total=$(kb SwapTotal); swap_free=$(kb SwapFree)
used=$(( (total - available) / 1024 ))
echo "memory:  ${used} MiB used of $(( total / 1024 )) MiB ($(( (total - available) * 100 / total ))%)"
echo "swap:    $(( (swap_total - swap_free) / 1024 )) MiB used of $(( swap_total / 1024 )) MiB"
