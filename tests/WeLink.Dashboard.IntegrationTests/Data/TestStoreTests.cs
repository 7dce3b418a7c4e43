namespace WeLink.Dashboard.IntegrationTests.Data;

/// <summary>The assertions' SQL, written in SQLite's spelling, as the PostgreSQL pass runs it.</summary>
public sealed class TestStoreTests
{
    [Theory]
    [InlineData("SELECT COUNT(*) FROM Events", """SELECT COUNT(*) FROM "Events" """)]
    [InlineData("SELECT SUM(Count) FROM HourlyEventCounts WHERE AccountKey = 'acc-d' AND EventType = 'CONNECTION_SENT'",
        """SELECT SUM("Count") FROM "HourlyEventCounts" WHERE "AccountKey" = 'acc-d' AND "EventType" = 'CONNECTION_SENT'""")]
    [InlineData("SELECT e.EventType FROM Events e JOIN Requests r ON r.RequestId = e.RequestId WHERE e.RequestId = $r",
        """SELECT e."EventType" FROM "Events" e JOIN "Requests" r ON r."RequestId" = e."RequestId" WHERE e."RequestId" = @r""")]
    [InlineData("SELECT Role FROM Operators WHERE UserName = 'Admin' AND NOT Disabled", """SELECT "Role" FROM "Operators" WHERE "UserName" = 'Admin' AND NOT "Disabled" """)]
    [InlineData("SELECT group_concat(Id) FROM (SELECT Id FROM Alerts ORDER BY Id)", """SELECT string_agg(CAST("Id" AS text), ',') FROM (SELECT "Id" FROM "Alerts" ORDER BY "Id")""")]
    [InlineData("""SELECT "Name" FROM x WHERE y = 'It''s Events'""", """SELECT "Name" FROM x WHERE y = 'It''s Events'""")]
    public void ToPostgreSql_SqliteSpelling_QuotesNamesAndParametersLeavesTextAlone(string sqlite, string postgres) =>
        Assert.Equal(postgres.TrimEnd(), TestStore.ToPostgreSql(sqlite).TrimEnd());
}
