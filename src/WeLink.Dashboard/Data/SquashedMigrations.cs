using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Migrations;
using WeLink.Dashboard.Data.Migrations;

namespace WeLink.Dashboard.Data;

/// <summary>
/// The six migrations of the first builds were squashed into <see cref="Initial"/>; their schema is
/// the same. A file they made still lists their ids in <c>__EFMigrationsHistory</c>, which EF would
/// read as "Initial not applied" and fail on its first CREATE TABLE. Before migrating, such a file's
/// rows are replaced by the one id, so it goes on from there like a new file.
/// </summary>
public static class SquashedMigrations
{
    /// <summary>The squashed migrations, oldest first.</summary>
    public static readonly IReadOnlyList<string> Ids =
    [
        "20261126232015_InitialSchema",
        "20261126232934_RetentionIndexes",
        "20261126233156_Operators",
        "20261127001642_SearchAndDailyCounts",
        "20261127011411_DailyErrorCounts",
        "20261201144739_SignInRecords",
    ];

    public static string InitialId { get; } = typeof(Initial).GetCustomAttribute<MigrationAttribute>()!.Id;

    /// <summary>
    /// Maps a file made by the squashed migrations to <see cref="InitialId"/>; a file without them
    /// (new, or already mapped) is left alone. A file made before the last of them (no sign-in
    /// records) gets that table first, as that migration would have made it.
    /// </summary>
    /// <returns>True when the history was rewritten.</returns>
    public static async Task<bool> MapHistoryAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) == 0) return false;

        var applied = new List<(string Id, string Version)>();
        command.CommandText = "SELECT MigrationId, ProductVersion FROM __EFMigrationsHistory";
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) applied.Add((reader.GetString(0), reader.GetString(1)));
        }
        var squashed = applied.Where(a => Ids.Contains(a.Id)).ToList();
        if (squashed.Count == 0) return false;

        var missing = Ids.Except(squashed.Select(s => s.Id)).ToList();
        // The first five came within two hours of each other, before any release: a file has all of
        // them. Only the last may be missing, and its change is one table.
        if (missing.Count > 1 || (missing.Count == 1 && missing[0] != Ids[^1]))
            throw new InvalidOperationException(
                $"The database was made by an early build and lacks the migrations {string.Join(", ", missing)}; start from a new file.");

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        command.Transaction = transaction;
        if (missing.Count == 1)
        {
            command.CommandText =
                """
                CREATE TABLE "SignIns" (
                    "Id" TEXT NOT NULL CONSTRAINT "PK_SignIns" PRIMARY KEY,
                    "OperatorId" INTEGER NOT NULL,
                    "CreatedAt" INTEGER NOT NULL,
                    "ExpiresAt" INTEGER NOT NULL,
                    CONSTRAINT "FK_SignIns_Operators_OperatorId" FOREIGN KEY ("OperatorId") REFERENCES "Operators" ("Id") ON DELETE CASCADE
                );
                CREATE INDEX "IX_SignIns_OperatorId" ON "SignIns" ("OperatorId");
                """;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var (id, _) in squashed)
        {
            command.CommandText = "DELETE FROM __EFMigrationsHistory WHERE MigrationId = $id";
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$id", id);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        command.CommandText = "INSERT INTO __EFMigrationsHistory (MigrationId, ProductVersion) VALUES ($id, $v)";
        command.Parameters.Clear();
        command.Parameters.AddWithValue("$id", InitialId);
        command.Parameters.AddWithValue("$v", squashed[^1].Version);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Mapped {Count} early migrations of the database to {Initial}", squashed.Count, InitialId);
        return true;
    }
}
