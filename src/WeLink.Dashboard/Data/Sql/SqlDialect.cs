using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace WeLink.Dashboard.Data.Sql;

/// <summary>
/// What differs between the two stores for the writer's statements. The statements are written once,
/// in SQLite's spelling with <c>$name</c> parameters and PascalCase identifiers; SQLite runs them as
/// written (not one character changes there), PostgreSQL runs them through <see cref="Translate"/>:
/// identifiers quoted (they are case-sensitive there), <c>@name</c> parameters, <c>IS x</c> as
/// <c>IS NOT DISTINCT FROM x</c>. What a text rewrite cannot decide (scalar MAX/MIN, row locks, rowid,
/// the FTS5 table, PRAGMAs) is a member here that the statement asks for, through <see cref="DialectSql"/>.
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(DatabaseProvider.Sqlite);
    public static readonly SqlDialect PostgreSql = new(DatabaseProvider.PostgreSQL);

    private SqlDialect(DatabaseProvider provider)
    {
        Provider = provider;
        IsSqlite = provider == DatabaseProvider.Sqlite;
    }

    public DatabaseProvider Provider { get; }

    public bool IsSqlite { get; }

    public static SqlDialect For(DatabaseProvider provider) => provider == DatabaseProvider.PostgreSQL ? PostgreSql : Sqlite;

    public static SqlDialect For(DbConnection connection) => connection is NpgsqlConnection ? PostgreSql : Sqlite;

    /// <summary>The larger of two values (SQLite's two-argument MAX is an aggregate elsewhere).</summary>
    public string Greatest => IsSqlite ? "MAX" : "GREATEST";

    /// <summary>The smaller of two values.</summary>
    public string Least => IsSqlite ? "MIN" : "LEAST";

    /// <summary>
    /// Appended to a SELECT whose row the writer changes from what it read: PostgreSQL may have a second
    /// writer (another instance), which waits on the row until this batch commits. SQLite has one writer.
    /// </summary>
    public string ForUpdate => IsSqlite ? "" : " FOR UPDATE";

    /// <summary>
    /// Whether free-text search has an index table of its own that the writer fills (SQLite's FTS5
    /// <c>EventSearch</c>). PostgreSQL's trigram index is on <c>Events</c> itself, current at every commit.
    /// </summary>
    public bool HasSearchTable => IsSqlite;

    /// <summary>Whether the writer touches the same rows of a batch in a fixed order (sorted keys), so two writers cannot deadlock on them.</summary>
    public bool OrdersLocks => !IsSqlite;

    /// <summary>The parameter's name as the driver binds it: <c>$now</c> on SQLite, <c>@now</c> on PostgreSQL.</summary>
    public string ParameterName(string name) => IsSqlite || name.Length == 0 || name[0] != '$' ? name : "@" + name[1..];

    /// <summary>
    /// A value as the store takes it. PostgreSQL's text refuses a NUL character, which a webhook's JSON
    /// may carry (<c>\u0000</c>): it is dropped rather than failing the write. The raw body is bytes and keeps it.
    /// </summary>
    public object Value(object? value) => value switch
    {
        null => DBNull.Value,
        string text when !IsSqlite && text.Contains('\0') => text.Replace("\0", "", StringComparison.Ordinal),
        _ => value,
    };

    /// <summary>The statement as this store runs it (see the class summary). SQLite's is the text itself.</summary>
    public string Translate(string sql) => IsSqlite ? sql : ToPostgreSql(sql);

    internal static string ToPostgreSql(string sql)
    {
        var text = new StringBuilder(sql.Length + 64);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is '\'' or '"')
            {
                // A literal or an identifier already quoted: copied as it is, doubled quotes included.
                var end = i + 1;
                while (end < sql.Length && (sql[end] != c || (end + 1 < sql.Length && sql[end + 1] == c && ++end > 0))) end++;
                text.Append(sql, i, Math.Min(end + 1, sql.Length) - i);
                i = end + 1;
                continue;
            }
            if (c == '$' && i + 1 < sql.Length && IsWordStart(sql[i + 1]))
            {
                var end = WordEnd(sql, i + 1);
                text.Append('@').Append(sql, i + 1, end - i - 1);
                i = end;
                continue;
            }
            if (IsWordStart(c) && (i == 0 || !IsWordPart(sql[i - 1])))
            {
                var end = WordEnd(sql, i);
                var word = sql.AsSpan(i, end - i);
                if (char.IsAsciiLetterUpper(word[0]) && word.ContainsAnyInRange('a', 'z'))
                {
                    // PascalCase is a table or column (keywords are upper case, aliases and functions lower case).
                    text.Append('"').Append(word).Append('"');
                }
                else if (word is "IS" && NextNonSpace(sql, end) is '$' or '(')
                {
                    // SQLite's IS compares with NULL equal to NULL.
                    text.Append("IS NOT DISTINCT FROM");
                }
                else
                {
                    text.Append(word);
                }
                i = end;
                continue;
            }
            text.Append(c);
            i++;
        }
        return text.ToString();
    }

    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsWordPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static int WordEnd(string sql, int start)
    {
        var end = start;
        while (end < sql.Length && IsWordPart(sql[end])) end++;
        return end;
    }

    private static char NextNonSpace(string sql, int from)
    {
        while (from < sql.Length && char.IsWhiteSpace(sql[from])) from++;
        return from < sql.Length ? sql[from] : '\0';
    }

    public override string ToString() => Provider.ToString();
}

/// <summary>A statement that differs by store, built once per store from <see cref="SqlDialect"/>'s members.</summary>
public sealed class DialectSql(Func<SqlDialect, string> build)
{
    private readonly string _sqlite = build(SqlDialect.Sqlite);
    private readonly string _postgreSql = build(SqlDialect.PostgreSql);

    public string For(SqlDialect dialect) => dialect.IsSqlite ? _sqlite : _postgreSql;
}

/// <summary>Which failures of the store are "the database is in trouble" (503, We-Link retries) and which are worth a retry.</summary>
public static class DatabaseErrors
{
    /// <summary>
    /// The store cannot take writes now: SQLite busy, locked, full, I/O or a file it cannot open;
    /// PostgreSQL unreachable (no server answer), or SQLSTATE class 08 (connection), 53 (resources:
    /// disk full, out of memory, too many connections) or 57 (shutdown, cancelled, admin action).
    /// </summary>
    public static bool IsTrouble(Exception ex) => ex switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 /* BUSY */ or 6 /* LOCKED */ or 10 /* IOERR */ or 11 /* CORRUPT */
            or 13 /* FULL */ or 14 /* CANTOPEN */ or 8 /* READONLY */ or 26 /* NOTADB */,
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("57", StringComparison.Ordinal)
            || IsConflict(postgres),
        // No answer from the server at all: refused, reset, timed out.
        NpgsqlException => true,
        _ => false,
    };

    /// <summary>Two writers collided (serialization failure, deadlock): the batch is redone, as it is, a few times.</summary>
    public static bool IsConflict(Exception ex) =>
        ex is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };
}
