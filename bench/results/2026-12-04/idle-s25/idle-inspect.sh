#!/usr/bin/env bash
# usage (as BENCH_W4_INSPECT): bash /tmp/idle-inspect.sh OUTDIR LABEL
out=$1; label=$2; mkdir -p "$out"
pid=$SERVER_PID
cat /proc/$pid/smaps_rollup > "$out/$label.smaps_rollup.txt"
cp /proc/$pid/smaps "$out/$label.smaps.txt"
grep -E '^(VmRSS|RssAnon|RssFile|Threads)' /proc/$pid/status > "$out/$label.status.txt"; grep Threads /proc/$pid/status >> "$out/$label.status.txt"
if [[ -z "${NO_GCDUMP:-}" ]]; then
  /tmp/idle-tools/dotnet-gcdump collect -p $pid -o "$out/$label.gcdump" >/dev/null 2>&1
  /tmp/idle-tools/dotnet-gcdump report "$out/$label.gcdump" 2>&1 | head -60 > "$out/$label.gcdump-report.txt"
fi
echo "inspected $label"
if [[ -n "${TRIM:-}" ]]; then
  before=$(grep VmRSS /proc/$pid/status)
  timeout 60 gdb -p $pid -batch -ex 'call (int)malloc_trim(0)' >/dev/null 2>&1
  echo "before trim: $before; after malloc_trim(0): $(grep VmRSS /proc/$pid/status)" > "$out/$label.trim.txt"
  cp /proc/$pid/smaps "$out/$label.smaps-trimmed.txt"
fi
