import sys,json,statistics,collections
rows=collections.defaultdict(list)
for f in sys.argv[1:]:
  for l in open(f):
    if ': {"' not in l: continue
    lab,js=l.split(": ",1); rows[lab.strip()].append(json.loads(js))
keys=['lat_p50_ms','lat_p99_ms','lat_p999_ms','delivered_per_s','server_cpu_pct','server_cpu_us_per_msg','generator_cpu_pct','generator_cpu_us_per_msg','lost']
for lab,rs in rows.items():
  out=[]
  for k in keys:
    v=sorted(r[k] for r in rs if k in r)
    if not v: continue
    out.append(f"{k}={statistics.median(v):g}" + (f" [{v[0]:g},{v[-1]:g}]" if len(v)>1 else ""))
  print(f"{lab} (n={len(rs)}): "+"  ".join(out))
