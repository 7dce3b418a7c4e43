using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace WeLink.Testing;

/// <summary>
/// Which store the test apps run on. ./run-tests.sh runs the integration and reliability tests twice: on SQLite
/// (the default), then with <see cref="ProviderVariable"/>=PostgreSQL, where every app that names a database file
/// (<see cref="DashboardApp"/>, <see cref="ChildDashboard"/>) gets a PostgreSQL database of its own on the private
/// cluster instead. The file path stays the key: apps started again on the same file (a restart, a crash, two
/// writers) share one database, and <see cref="TestDirectory"/> drops the databases of its folder when disposed.
/// Assertions read the store through <see cref="Scalar{T}"/> and <see cref="Rows"/>, which take SQLite's spelling
/// (bare PascalCase names, <c>$name</c> parameters) and rewrite it for PostgreSQL.
/// </summary>
public static partial class TestStore
{
    public const string ProviderVariable = "WELINK_TEST_PROVIDER";

    /// <summary>The trait that keeps a test out of the PostgreSQL pass: it is about SQLite itself.</summary>
    public const string SqliteOnly = "SqliteOnly";

    /// <summary>The trait of tests that choose PostgreSQL themselves: they run in the first pass, not again in the PostgreSQL pass.</summary>
    public const string PostgreSqlItself = "PostgreSql";

    private static readonly ConcurrentDictionary<string, PostgresTestDatabase> Databases = new(StringComparer.Ordinal);

    /// <summary>True in the PostgreSQL pass.</summary>
    public static bool PostgreSql { get; } =
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "PostgreSQL", StringComparison.OrdinalIgnoreCase);

    /// <summary>The PostgreSQL database that stands in for the file at <paramref name="databasePath"/>; made on first use.</summary>
    public static PostgresTestDatabase DatabaseFor(string databasePath) =>
        Databases.GetOrAdd(Path.GetFullPath(databasePath), _ => new PostgresTestDatabase());

    /// <summary>The PostgreSQL database standing in for <paramref name="databasePath"/>, or null when the file is the store.</summary>
    public static PostgresTestDatabase? Find(string databasePath) =>
        Databases.TryGetValue(Path.GetFullPath(databasePath), out var database) ? database : null;

    /// <summary>
    /// Settings (configuration keys) that put an app meant for <paramref name="databasePath"/> on the store of this pass:
    /// empty on SQLite, and also when the caller chose the store itself (<paramref name="callerSettings"/> name it).
    /// </summary>
    public static IReadOnlyDictionary<string, string?> SettingsFor(string databasePath, IEnumerable<string> callerSettings)
    {
        if (!PostgreSql || callerSettings.Any(ChoosesStore)) return new Dictionary<string, string?>();
        return DatabaseFor(databasePath).DashboardSettings();
    }

    private static bool ChoosesStore(string key)
    {
        var normal = key.Replace("__", ":", StringComparison.Ordinal);
        return normal.Equals("ConnectionStrings:Dashboard", StringComparison.OrdinalIgnoreCase)
            || normal.Equals("Database:Provider", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Drops the PostgreSQL databases that stood in for files under <paramref name="folder"/>.</summary>
    public static void Release(string folder)
    {
        var prefix = Path.GetFullPath(folder).TrimEnd('/') + "/";
        foreach (var key in Databases.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
            if (Databases.TryRemove(key, out var database)) database.Dispose();
    }

    /// <summary>One value read from the store of <paramref name="databasePath"/> (SQLite spelling, see the class).</summary>
    public static T Scalar<T>(string databasePath, string sql, params (string Name, object Value)[] parameters)
    {
        var rows = Rows(databasePath, sql, parameters);
        var value = rows.Count == 0 ? null : rows[0][0];
        return (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture)!;
    }

    /// <summary>
    /// The rows of a statement on the store of <paramref name="databasePath"/>. Values come back alike on both stores:
    /// integers and booleans as <see cref="long"/>, NULL as null, blobs as <see cref="byte"/>[].
    /// </summary>
    public static List<object?[]> Rows(string databasePath, string sql, params (string Name, object Value)[] parameters)
    {
        var postgres = Find(databasePath);
        if (postgres is null)
        {
            // Read-write (a few tests arrange rows this way) but never creating a file that is not there.
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={databasePath};Pooling=False;Mode=ReadWrite");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
            return Read(command);
        }
        using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Pooling = false }.ConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand(ToPostgreSql(sql), connection);
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name.TrimStart('$', '@', ':'), value);
            return Read(command);
        }
    }

    private static List<object?[]> Read(System.Data.Common.DbCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.GetValue(i) switch
                {
                    DBNull => null,
                    bool b => b ? 1L : 0L,
                    int n => (long)n,
                    short n => (long)n,
                    var other => other,
                };
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>
    /// The tables of the PostgreSQL database standing in for <paramref name="databasePath"/> with a row whose text
    /// contains <paramref name="text"/>, as such or hex-encoded in a bytea column (a search of the files finds it in
    /// a SQLite file; empty on SQLite).
    /// </summary>
    public static List<string> TablesContaining(string databasePath, string text)
    {
        if (Find(databasePath) is null) return [];
        var hex = Convert.ToHexString(Encoding.UTF8.GetBytes(text)).ToLowerInvariant();
        // Text and bytea columns only: numbers rendered as text could hold a short secret's digits by chance.
        var columns = Rows(databasePath, """
            SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.data_type IN ('text', 'character varying', 'bytea')
            """);
        return columns.GroupBy(row => (string)row[0]!).Where(table =>
        {
            var conditions = table.Select(row => (string)row[2]! == "bytea"
                ? $"strpos(encode(\"{row[1]}\", 'hex'), @hex) > 0"
                : $"strpos(\"{row[1]}\", @text) > 0");
            return Scalar<long>(databasePath, $"SELECT COUNT(*) FROM \"{table.Key}\" WHERE {string.Join(" OR ", conditions)}",
                ("text", text), ("hex", hex)) > 0;
        }).Select(table => table.Key).ToList();
    }

    /// <summary>Request ids stored, with how many event rows carry each.</summary>
    public static Dictionary<string, int> StoredRequestIds(string databasePath)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in Rows(databasePath, "SELECT RequestId, COUNT(*) FROM Events GROUP BY RequestId"))
            ids[(string?)row[0] ?? ""] = (int)(long)row[1]!;
        return ids;
    }

    /// <summary>
    /// SQLite's spelling to PostgreSQL's: PascalCase names quoted (the schema's tables and columns; keywords are
    /// written in capitals), <c>$name</c> parameters as <c>@name</c>, <c>group_concat(x)</c> as <c>string_agg</c>.
    /// Text in quotes is left alone.
    /// </summary>
    public static string ToPostgreSql(string sql)
    {
        var result = new StringBuilder(sql.Length + 32);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is '\'' or '"')
            {
                var end = sql.IndexOf(c, i + 1);
                if (end < 0) end = sql.Length - 1;
                result.Append(sql, i, end - i + 1);
                i = end + 1;
            }
            else if (c == '$' && i + 1 < sql.Length && char.IsLetter(sql[i + 1]))
            {
                result.Append('@');
                i++;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_')) i++;
                var word = sql[start..i];
                var previous = start > 0 ? sql[start - 1] : ' ';
                if (previous is '$' or '@') result.Append(word);
                else if (PascalCase().IsMatch(word)) result.Append('"').Append(word).Append('"');
                else if (word == "group_concat") result.Append("string_agg");
                else result.Append(word);
            }
            else
            {
                result.Append(c);
                i++;
            }
        }
        // string_agg needs text and a separator: group_concat(x) meant x's text joined by commas.
        return GroupConcat().Replace(result.ToString(), "string_agg(CAST($1 AS text), ',')");
    }

    [GeneratedRegex("^[A-Z][a-z][A-Za-z0-9]*$")]
    private static partial Regex PascalCase();

    [GeneratedRegex("""string_agg\(([^(),]+)\)""")]
    private static partial Regex GroupConcat();
}
