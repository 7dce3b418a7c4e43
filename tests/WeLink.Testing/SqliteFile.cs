using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;

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

    /// <summary>The steps of SQLite's plan for the query as EF sends it, on the file at <paramref name="path"/> (opened read-only).</summary>
    public static List<string> QueryPlan<T>(string path, Func<DashboardDbContext, IQueryable<T>> query)
    {
        using var db = new DashboardDbContext(new DbContextOptionsBuilder<DashboardDbContext>()
            .UseSqlite($"Data Source={path};Mode=ReadOnly;Pooling=False").Options);
        db.Database.OpenConnection();
        using var command = query(db).CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) plan.Add(reader.GetString(3));
        return plan;
    }

    /// <summary>Request ids stored for the file (or the PostgreSQL database standing in for it), with how many event rows carry each.</summary>
    public static Dictionary<string, int> StoredRequestIds(string path) => TestStore.StoredRequestIds(path);
}
