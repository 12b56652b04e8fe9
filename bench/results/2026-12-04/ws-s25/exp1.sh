cd /work/wt-web && dotnet publish bench/Messenger.Bench -c Release -o /tmp/ws-s25/A/bench --nologo -v quiet 2>&1 | tail -5
R=/tmp/ws-s25/run.sh; A=/tmp/ws-s25/A
$R plaintext $A $A --plaintext
$R ws $A $A --ws
$R ws-warm10 $A $A --ws --warmup 10
