cd /work/wt-web && dotnet publish src/Messenger.Server -c Release -o /tmp/ws-s25/B/server --nologo -v quiet 2>&1 | tail -5
cat /tmp/ws-s25/B/server/server.runtimeconfig.json
R=/tmp/ws-s25/run.sh; A=/tmp/ws-s25/A; B=/tmp/ws-s25/B
$R plaintext-A $A $A --plaintext
$R plaintext-B $B $A --plaintext
$R ws-A $A $A --ws
$R ws-B $B $A --ws
