using Microsoft.Data.Sqlite;

namespace WeLink.Dashboard.Data.Sql;

internal static class SqlReaders
{
    public static string? NullableString(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
