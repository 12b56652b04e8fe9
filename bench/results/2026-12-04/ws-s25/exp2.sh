R=/tmp/ws-s25/run.sh; A=/tmp/ws-s25/A
BENCH_SERVER_DOTNET_TieredCompilation=0 $R ws-srvTC0 $A $A --ws
DOTNET_TieredCompilation=0 BENCH_SERVER_DOTNET_TieredCompilation=1 $R ws-genTC0 $A $A --ws
BENCH_SERVER_DOTNET_TieredPGO=0 $R ws-srvPGO0 $A $A --ws
$R ws $A $A --ws
