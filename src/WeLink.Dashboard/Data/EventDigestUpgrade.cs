using System.Text.Json;
using Microsoft.Data.Sqlite;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Data;

/// <summary>
/// Events used to be deduplicated by the SHA-256 of their raw bytes; they now are by the digest of
/// their signed content (<see cref="CanonicalJson.ContentDigest"/>), so a redelivery with other
/// spacing or escapes is the same event. This one-time step recomputes the digests a file already
/// holds, so a redelivery of an event stored before the change is still a duplicate. It is a data
/// change, not a schema one, and needs code EF migrations cannot run; SQLite's own
/// <c>user_version</c> records that it ran.
/// </summary>
public static class EventDigestUpgrade
{
    /// <summary>The <c>user_version</c> of a file whose digests are content digests.</summary>
    public const int ContentDigestVersion = 1;
    private const int BatchSize = 500;

    /// <summary>Recomputes the stored digests unless already done; returns how many changed.</summary>
    public static async Task<int> RunAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var version = connection.CreateCommand())
        {
            version.CommandText = "PRAGMA user_version";
            if (Convert.ToInt64(await version.ExecuteScalarAsync(cancellationToken)) >= ContentDigestVersion) return 0;
        }

        var changed = 0;
        var keptApart = 0;
        long lastId = 0;
        while (true)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var rows = new List<(long Id, byte[] Raw, byte[] Digest)>();
            await using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = "SELECT Id, RawBody, BodySha256 FROM Events WHERE Id > $last ORDER BY Id LIMIT $n";
                select.Parameters.AddWithValue("$last", lastId);
                select.Parameters.AddWithValue("$n", BatchSize);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetInt64(0), (byte[])reader[1], (byte[])reader[2]));
            }
            if (rows.Count == 0) break;

            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            // OR IGNORE: two byte variants of one body stored before the change keep their rows;
            // the first takes the content digest, so later redeliveries count on it.
            update.CommandText = "UPDATE OR IGNORE Events SET BodySha256 = $d WHERE Id = $id";
            var digest = update.Parameters.Add("$d", SqliteType.Blob);
            var id = update.Parameters.Add("$id", SqliteType.Integer);
            foreach (var row in rows)
            {
                lastId = row.Id;
                if (ContentDigestOf(row.Raw) is not { } content || content.AsSpan().SequenceEqual(row.Digest)) continue;
                digest.Value = content;
                id.Value = row.Id;
                if (await update.ExecuteNonQueryAsync(cancellationToken) == 1) changed++;
                else keptApart++;
            }
            await transaction.CommitAsync(cancellationToken);
        }

        await using (var done = connection.CreateCommand())
        {
            done.CommandText = $"PRAGMA user_version = {ContentDigestVersion}";
            await done.ExecuteNonQueryAsync(cancellationToken);
        }
        if (changed > 0 || keptApart > 0)
        {
            logger.LogInformation("Recomputed the content digest of {Changed} stored events ({KeptApart} byte variants of an earlier event kept as they were)",
                changed, keptApart);
        }
        return changed;
    }

    private static byte[]? ContentDigestOf(byte[] raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw);
            return document.RootElement.ValueKind == JsonValueKind.Object ? CanonicalJson.ContentDigest(document.RootElement) : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
