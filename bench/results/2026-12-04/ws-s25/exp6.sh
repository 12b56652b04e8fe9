cd /work/wt-web && dotnet publish src/Messenger.Server -c Release -o /tmp/ws-s25/C/server --nologo -v quiet 2>&1 | tail -5
R=/tmp/ws-s25/run.sh; A=/tmp/ws-s25/A; B=/tmp/ws-s25/B; C=/tmp/ws-s25/C
$R plaintext-A $A $A --plaintext
$R plaintext-B $B $A --plaintext
$R ws-A $A $A --ws
$R ws-B $B $A --ws
$R ws-C $C $A --ws
