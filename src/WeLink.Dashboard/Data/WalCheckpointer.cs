using Microsoft.Data.Sqlite;

namespace WeLink.Dashboard.Data;

/// <summary>
/// Moves the write-ahead log into the database file every second, on its own connection. The
/// writer runs with automatic checkpoints off: a checkpoint inside a commit copies and syncs
/// thousands of pages while webhooks wait for their answer (the ack latency's p99). A passive
/// checkpoint here never blocks the writer. When it leaves the log longer than
/// <see cref="RestartFrames"/>, because batches kept committing while it copied, the writer finishes
/// it between two batches (<see cref="DashboardWriter.RequestCheckpoint"/>), so that the log starts over.
/// </summary>
public sealed class WalCheckpointer(DashboardDatabase database, DashboardWriter writer, TimeProvider time, ILogger<WalCheckpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>A log of more pages than this (16 MiB of 4 KiB pages) is finished by the writer, see above.</summary>
    public const long RestartFrames = 4096;

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
                    // One row: busy, the log's length in pages, the pages copied into the file.
                    await using var result = await command.ExecuteReaderAsync(stoppingToken);
                    if (await result.ReadAsync(stoppingToken) && result.GetInt64(1) > RestartFrames) writer.RequestCheckpoint();
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
