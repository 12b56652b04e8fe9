R=/tmp/ws-s25/run.sh; A=/tmp/ws-s25/A; B=/tmp/ws-s25/B; C=/tmp/ws-s25/C
$R wss-B $B $A --wss
$R wss-C $C $A --wss
$R wss-B $B $A --wss
$R wss-C $C $A --wss
