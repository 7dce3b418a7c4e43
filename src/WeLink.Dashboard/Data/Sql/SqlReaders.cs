using System.Data.Common;

namespace WeLink.Dashboard.Data.Sql;

internal static class SqlReaders
{
    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
