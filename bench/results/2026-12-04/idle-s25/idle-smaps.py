import sys,re,collections
# Sum Rss and Anonymous per kind of mapping: file-backed, [heap], other anonymous by reservation size.
rss=collections.Counter()
cur=None
for line in open(sys.argv[1]):
    m=re.match(r'^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$',line)
    if m:
        size=(int(m.group(2),16)-int(m.group(1),16))//1024
        name=m.group(4).strip()
        if name.startswith('/'): kind='file '+name.split('/')[-1] if ('.so' in name) else 'file other'
        elif name: kind=name
        else: kind='anon'
        cur=kind; continue
    m=re.match(r'^Rss:\s+(\d+) kB',line)
    if m and cur: rss[cur]+=int(m.group(1))
tot=sum(rss.values())
print("total rss kB",tot)
for k,v in rss.most_common(12): print(f"{v:>9} kB {k}")
