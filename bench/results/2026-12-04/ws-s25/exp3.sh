R=/tmp/ws-s25/run.sh; A=/tmp/ws-s25/A
BENCH_SERVER_DOTNET_TC_CallCountingDelayMs=0 $R ws-delay0 $A $A --ws
$R ws $A $A --ws
BENCH_SERVER_DOTNET_TC_CallCountingDelayMs=0 $R plaintext-delay0 $A $A --plaintext
BENCH_SERVER_DOTNET_TC_CallCountingDelayMs=0 $R ws-delay0 $A $A --ws
$R ws $A $A --ws
