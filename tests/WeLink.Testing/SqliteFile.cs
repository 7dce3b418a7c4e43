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

    /// <summary>Runs <paramref name="sql"/> (one or more statements) on an open connection.</summary>
    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The first column of the first row of <paramref name="sql"/> on an open connection, as SQLite gives it.</summary>
    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Request ids stored for the file (or the PostgreSQL database standing in for it), with how many event rows carry each.</summary>
    public static Dictionary<string, int> StoredRequestIds(string path) => TestStore.StoredRequestIds(path);
}
