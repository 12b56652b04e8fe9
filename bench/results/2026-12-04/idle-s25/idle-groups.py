import sys,re,collections
def load(f):
    agg=collections.Counter()
    for line in open(f):
        p=line.split(None,2)
        if len(p)<3 or not re.fullmatch(r'[\d,]+',p[0]) or not re.fullmatch(r'[\d,]+',p[1]): continue
        t=re.sub(r'\s*\[[^\]]*\]\s*$','',p[2]).strip(); t=re.sub(r'\s*\(Bytes > [^)]*\)','',t)
        agg[t]+=int(p[0].replace(',',''))*int(p[1].replace(',',''))
    return agg
groups=[
 ("socket", lambda t: t in ("AwaitableSocketAsyncEventArgs","System.Net.Sockets.SocketAsyncContext","BufferMemoryReceiveOperation","System.Net.Sockets.Socket","System.Net.Sockets.SafeSocketHandle") or t.startswith("System.Action<System.Int32,System.Memory<System.Byte>")),
 ("read-async", lambda t: any(k in t for k in ("FrameReader+<ReadAllAsync","StreamPipeReader+<<ReadInternalAsync","ClientConnection+<ReadLoopAsync","ClientConnection+<RunAsync","AcceptLoopService+<ServeAsync","BackgroundWork+<GuardAsync")) or t=="System.Threading.Tasks.ContinuationTaskFromTask"),
 ("ssl-read-async", lambda t: "SslStream+<" in t),
 ("writer", lambda t: any(k in t for k in ("OutboundQueue+<RunWriterAsync","ClientConnection+<WriteLoopAsync","SemaphoreSlim","CancellationPromise","WriterSignal")) or t=="TaskNode"),
 ("cancellation", lambda t: t in ("System.Threading.CancellationTokenSource","CallbackNode","Registrations","System.Threading.CancellationTokenSource+Linked1CancellationTokenSource")),
 ("session", lambda t: t=="Messenger.Server.Sessions.Session" or (t.startswith("System.Collections.Generic.Dictionary<System.Int64") ) or t=="System.Collections.Generic.Queue<System.Int64>"),
 ("pipe", lambda t: t in ("System.IO.Pipelines.StreamPipeReader","System.IO.Pipelines.BufferSegment")),
 ("tls-objects", lambda t: t.startswith("System.Net.Security") or "SafeSslHandle" in t or "SafeBioHandle" in t or "SslContext" in t),
 ("byte[] (pool)", lambda t: t=="System.Byte[]"),
]
n=10000
for f in sys.argv[1:]:
    a=load(f); tot=sum(a.values()); out={}
    rest=tot
    for g,fn in groups:
        v=sum(b for t,b in a.items() if fn(t)); out[g]=v/n; rest-=v
    out["rest"]=rest/n; out["total"]=tot/n
    print(f.split('/')[-1], {k:round(v) for k,v in out.items()})
