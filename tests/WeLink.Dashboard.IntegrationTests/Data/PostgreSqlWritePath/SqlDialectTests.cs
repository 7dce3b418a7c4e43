using WeLink.Dashboard.Data.Sql;

namespace WeLink.Dashboard.IntegrationTests.Data.PostgreSqlWritePath;

/// <summary>How the writer's statements, written once in SQLite's spelling, read on each store.</summary>
public sealed class SqlDialectTests
{
    [Fact]
    public void Translate_Sqlite_LeavesTheStatementAsItIs()
    {
        const string sql = "SELECT Id FROM Alerts WHERE AccountId IS $a AND Rule = 'RequestLost'";
        Assert.Same(sql, SqlDialect.Sqlite.Translate(sql));
        Assert.Equal("$a", SqlDialect.Sqlite.ParameterName("$a"));
    }

    [Fact]
    public void Translate_PostgreSql_QuotesIdentifiersNamesParametersAndComparesNullsAsSqliteIs()
    {
        var sql = SqlDialect.PostgreSql.Translate(
            """
            SELECT e.Id, COUNT(*) FROM Alerts e WHERE e.AccountId IS $a AND Subject IS NULL AND Rule = 'RequestLost' AND s IS (SELECT 1)
            ON CONFLICT (Minute) DO UPDATE SET Count = AlertRejectionCounts.Count + excluded.Count, Note = 'It''s Done', "Keep" = $now_2
            """);

        Assert.Equal(
            """
            SELECT e."Id", COUNT(*) FROM "Alerts" e WHERE e."AccountId" IS NOT DISTINCT FROM @a AND "Subject" IS NULL AND "Rule" = 'RequestLost' AND s IS NOT DISTINCT FROM (SELECT 1)
            ON CONFLICT ("Minute") DO UPDATE SET "Count" = "AlertRejectionCounts"."Count" + excluded."Count", "Note" = 'It''s Done', "Keep" = @now_2
            """, sql);
        Assert.Equal("@now", SqlDialect.PostgreSql.ParameterName("$now"));
    }

    [Fact]
    public void Value_PostgreSqlTextWithNul_DropsTheNulOnlyThere()
    {
        Assert.Equal("ab", SqlDialect.PostgreSql.Value("a\0b"));
        Assert.Equal("a\0b", SqlDialect.Sqlite.Value("a\0b"));
        Assert.Equal(DBNull.Value, SqlDialect.PostgreSql.Value(null));
    }

    [Theory]
    [InlineData("Zürich", @"z\303\274rich")]
    [InlineData(@"a\b", @"a\\b")]
    [InlineData("ABC", "abc")]
    public void EscapeEncoded_Text_MatchesPostgreSqlsEscapeEncodingInLowerCase(string text, string expected) =>
        Assert.Equal(expected, EventSearchSql.EscapeEncoded(text));
}
