import sys,re,collections
# dotnet-gcdump report: per line the size of one object, the count, the type [module]; total = size x count
agg=collections.Counter(); cnt=collections.Counter()
for line in open(sys.argv[1]):
    p=line.split(None,2)
    if len(p)<3 or not re.fullmatch(r'[\d,]+',p[0]) or not re.fullmatch(r'[\d,]+',p[1]): continue
    t=re.sub(r'\s*\[[^\]]*\]\s*$','',p[2]).strip(); t=re.sub(r'\s*\(Bytes > [^)]*\)','',t)
    b=int(p[0].replace(',','')); c=int(p[1].replace(',',''))
    agg[t]+=b*c; cnt[t]+=c
tot=sum(agg.values())
n=int(sys.argv[3]) if len(sys.argv)>3 else 10000
print(f"total {tot:,} bytes = {tot/n:.0f} B per connection over {n}")
for t,b in agg.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 40):
    print(f"{b:>12,} {cnt[t]:>8,} {b/n:8.1f} B/conn  {t[:150]}")
