using Microsoft.Data.Sqlite;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Accounts;

namespace WeLink.Dashboard.Data;

/// <summary>
/// Files made before login state and health were two dimensions held one folded state
/// (<c>RateLimited</c> and <c>Restricted</c> were login states). This one-time step recomputes every
/// account's state from its stored events with <see cref="AccountStateProjection.Recompute"/> instead
/// of resetting it, and drops the folded states from the history (the events they came from stay).
/// A data change EF migrations cannot run; SQLite's <c>user_version</c> records that it ran.
/// </summary>
public static class AccountStateUpgrade
{
    /// <summary>The <c>user_version</c> of a file whose account states are two-dimensional (after <see cref="EventDigestUpgrade.ContentDigestVersion"/>).</summary>
    public const int TwoDimensionsVersion = 2;
    private const int BatchSize = 200;

    /// <summary>Recomputes every account unless already done; returns how many accounts were recomputed.</summary>
    public static async Task<int> RunAsync(string connectionString, TimeProvider time, ILogger logger, CancellationToken cancellationToken = default)
    {
        List<string> accountIds = [];
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) >= TwoDimensionsVersion) return 0;
            command.CommandText = "SELECT AccountId FROM Accounts ORDER BY AccountId";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) accountIds.Add(reader.GetString(0));
        }

        using (var session = WriteSession.Open(connectionString, time))
        {
            session.ApplyAll([new DropFoldedHistory()]);
            foreach (var batch in accountIds.Chunk(BatchSize))
                session.ApplyAll(batch.Select(id => new RecomputeAccountState(id)));
        }

        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var done = connection.CreateCommand();
            done.CommandText = $"PRAGMA user_version = {TwoDimensionsVersion}";
            await done.ExecuteNonQueryAsync(cancellationToken);
        }
        if (accountIds.Count > 0) logger.LogInformation("Recomputed the login state and health of {Accounts} accounts from their stored events", accountIds.Count);
        return accountIds.Count;
    }

    /// <summary>Recomputes one account; also what a caller outside the writer's queue can send through it.</summary>
    public sealed class RecomputeAccountState(string accountId) : WriteOperation<bool>
    {
        public override bool Apply(WriteSession session)
        {
            AccountStateProjection.Recompute(session, accountId);
            return true;
        }
    }

    private sealed class DropFoldedHistory : WriteOperation<int>
    {
        public override int Apply(WriteSession session) => session.DeleteFoldedStateChanges();
    }
}
