using System.Globalization;
using Microsoft.Data.Sqlite;

namespace WeLink.Testing;

/// <summary>Reads a dashboard database file directly, for assertions on what was stored.</summary>
public static class SqliteFile
{
    /// <summary>A connection to <paramref name="path"/>, unpooled so the file is free once it is disposed.</summary>
    public static SqliteConnection Open(string path, bool readOnly = false)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False" + (readOnly ? ";Mode=ReadOnly" : ""));
        connection.Open();
        return connection;
    }

    public static T Scalar<T>(string path, string sql, bool readOnly = false)
    {
        using var connection = Open(path, readOnly);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>Request ids stored in the file, with how many event rows carry each.</summary>
    public static Dictionary<string, int> StoredRequestIds(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT RequestId, COUNT(*) FROM Events GROUP BY RequestId";
        using var reader = command.ExecuteReader();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.Read()) ids[reader.IsDBNull(0) ? "" : reader.GetString(0)] = reader.GetInt32(1);
        return ids;
    }
}
