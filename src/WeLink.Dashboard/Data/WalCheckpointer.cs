using Microsoft.Data.Sqlite;

namespace WeLink.Dashboard.Data;

/// <summary>
/// Moves the write-ahead log into the database file every second, on its own connection. The
/// writer runs with automatic checkpoints off: a checkpoint inside a commit copies and syncs
/// thousands of pages while webhooks wait for their answer (the ack latency's p99). A passive
/// checkpoint here never blocks the writer.
/// </summary>
public sealed class WalCheckpointer(DashboardDatabase database, TimeProvider time, ILogger<WalCheckpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var connection = new SqliteConnection(database.ConnectionString);
                    await connection.OpenAsync(stoppingToken);
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (SqliteException ex)
                {
                    logger.LogDebug("WAL checkpoint skipped: {Error}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
