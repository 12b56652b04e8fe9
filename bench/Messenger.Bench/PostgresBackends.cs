using Npgsql;

namespace Messenger.Bench;

/// <summary>
/// CPU of the PostgreSQL backends serving one database (the run's, from pg_stat_activity), from /proc: the shared
/// server's other databases and its background processes are not counted. A backend seen once is counted until the
/// end (its last reading stays when it exits).
/// </summary>
public sealed class PostgresBackends(string connectionString) : IDisposable
{
    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(connectionString);
    private readonly Dictionary<int, TimeSpan> lastSeen = [];

    public TimeSpan CpuTime()
    {
        using var command = dataSource.CreateCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var pid = reader.GetInt32(0);
            try
            {
                lastSeen[pid] = ProcStat.CpuTime(pid);
            }
            catch (IOException)
            {
                // Exited meanwhile: its last reading stays.
            }
        }
        return TimeSpan.FromTicks(lastSeen.Values.Sum(t => t.Ticks));
    }

    public void Dispose() => dataSource.Dispose();
}
