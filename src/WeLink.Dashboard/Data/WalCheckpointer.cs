using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace WeLink.Dashboard.Data;

/// <summary>
/// Moves the write-ahead log into the database file every second, on its own connection. The
/// writer runs with automatic checkpoints off: a checkpoint inside a commit copies and syncs
/// thousands of pages while webhooks wait for their answer (the ack latency's p99). A passive
/// checkpoint here never blocks the writer. When it leaves the log longer than
/// <see cref="RestartFrames"/>, because batches kept committing while it copied, the writer finishes
/// it between two batches (<see cref="DashboardWriter.RequestCheckpoint"/>), so that the log starts over.
/// Before asking, it syncs the pages its passes copied into the file, and copies and syncs again what came
/// meanwhile while that is slow (<see cref="CatchUpPasses"/>): SQLite syncs the file only at the end of a
/// checkpoint that reached the log's end, so the writer's finishing pass used to pay for a second's copied pages
/// (75–110 ms a second at 1,000,000 events) while webhooks waited; now it syncs only what it copies itself.
/// </summary>
public sealed class WalCheckpointer(DashboardDatabase database, DashboardWriter writer, TimeProvider time, ILogger<WalCheckpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>A log of more pages than this (16 MiB of 4 KiB pages) is finished by the writer, see above.</summary>
    public const long RestartFrames = 4096;

    /// <summary>Passes after the first, each followed by a sync, while the last took longer than <see cref="QuickPass"/>.</summary>
    public const int CatchUpPasses = 3;

    /// <summary>A pass and its sync this quick left little for the writer: no more are made.</summary>
    public static readonly TimeSpan QuickPass = TimeSpan.FromMilliseconds(8);

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
                    if (await PassAsync(connection, stoppingToken) <= RestartFrames) continue;
                    if (SqliteFileSync.TrySyncMainFile(connection))
                    {
                        for (var pass = 0; pass < CatchUpPasses; pass++)
                        {
                            var started = Stopwatch.GetTimestamp();
                            await PassAsync(connection, stoppingToken);
                            if (!SqliteFileSync.TrySyncMainFile(connection) || Stopwatch.GetElapsedTime(started) < QuickPass) break;
                        }
                    }
                    writer.RequestCheckpoint();
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

    /// <summary>One passive pass; answers the log's length in pages (SQLite's row: busy, the log's pages, the pages copied).</summary>
    private static async Task<long> PassAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        await using var result = await command.ExecuteReaderAsync(cancellationToken);
        return await result.ReadAsync(cancellationToken) ? result.GetInt64(1) : 0;
    }
}
