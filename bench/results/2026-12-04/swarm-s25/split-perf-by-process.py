#!/usr/bin/env python3
"""Split perf script output per process role, limited to the download window (the downloader's busy span).
usage: split.py script.txt pids.txt [server_pid]"""
import sys, re, collections
script, pidfile = sys.argv[1], sys.argv[2]
m = re.search(r"downloader pid (\d+), holder pids ([\d ]+)", open(pidfile).read())
down = int(m.group(1)); holders = {int(p) for p in m.group(2).split()}
sm = re.search(r"server\s+pid (\d+)", open(pidfile).read())
server = int(sm.group(1)) if sm else -1
samples = []  # (pid, comm, time, frames[(sym, dso)])
cur = None
for line in open(script, errors="replace"):
    if not line.strip():
        if cur: samples.append(cur); cur = None
        continue
    if not line.startswith("\t") and not line.startswith(" " * 8):
        hm = re.match(r"\s*(.+?)\s+(\d+)/(\d+)\s+([\d.]+):", line)
        if hm:
            cur = (int(hm.group(2)), hm.group(1).strip(), float(hm.group(4)), [])
        continue
    if cur is not None:
        parts = line.strip().split(None, 1)
        if len(parts) == 2:
            sm = re.match(r"(.*) \((.*)\)$", parts[1])
            cur[3].append((sm.group(1), sm.group(2)) if sm else (parts[1], "?"))
if cur: samples.append(cur)
# window: downloader samples; take the span holding the middle 99% of its samples after its big burst
dt = sorted(s[2] for s in samples if s[0] == down)
# busy span: 50 ms bins with >= 5 downloader samples
bins = collections.Counter(int(t * 20) for t in dt)
busy = sorted(b for b, c in bins.items() if c >= 5)
t0, t1 = busy[0] / 20, (busy[-1] + 1) / 20
print(f"window {t1 - t0:.2f} s ({len(busy)} busy 50 ms bins)")
def role(pid, comm):
    if pid == down: return "downloader"
    if pid in holders: return "holders"
    if pid == 0: return "idle"
    if pid == server: return "server"
    return comm if comm in ("dotnet",) else "other:" + comm
win = [s for s in samples if t0 <= s[2] <= t1]
by_role = collections.defaultdict(list)
for s in win: by_role[role(s[0], s[1])].append(s)
total = len(win)
print(f"samples in window {total}")
for r, ss in sorted(by_role.items(), key=lambda x: -len(x[1]))[:8]:
    print(f"\n== {r}: {len(ss)} samples ({100*len(ss)/total:.1f}% of all)")
    dsos = collections.Counter(s[3][0][1] if s[3] else "?" for s in ss)
    print("  by dso: " + ", ".join(f"{d.split('/')[-1]} {100*c/len(ss):.0f}%" for d, c in dsos.most_common(6)))
    syms = collections.Counter((s[3][0][0] if s[3] else "?") for s in ss)
    for sym, c in syms.most_common(int(sys.argv[3]) if len(sys.argv) > 3 else 18):
        print(f"  {100*c/len(ss):5.1f}%  {sym[:110]}")
