using System.Globalization;

namespace WeLink.Dashboard.ReliabilityTests.Infrastructure;

/// <summary>The counters the write path keeps beside the events, against a recount of the events themselves.</summary>
public static class Recount
{
    private const string Hour = "ReceivedAt - ReceivedAt % 3600000";
    private const string Day = "ReceivedAt - ReceivedAt % 86400000";

    /// <summary>Asserts every counter table and each account's event count equal what a recount of Events gives.</summary>
    public static void AssertCountersEqualRecount(string databasePath)
    {
        Assert.Equal(
            Rows(databasePath, $"SELECT {Hour}, COALESCE(AccountId, ''), EventType, COALESCE(ErrorCode, ''), COUNT(*) FROM Events GROUP BY 1, 2, 3, 4"),
            Rows(databasePath, "SELECT Hour, AccountKey, EventType, ErrorCode, Count FROM HourlyEventCounts WHERE Count <> 0"));
        Assert.Equal(
            Rows(databasePath, $"SELECT {Day}, COALESCE(AccountId, ''), EventType, COALESCE(ErrorCode, ''), COUNT(*) FROM Events GROUP BY 1, 2, 3, 4"),
            Rows(databasePath, "SELECT Day, AccountKey, EventType, ErrorCode, Count FROM DailyEventCounts WHERE Count <> 0"));
        Assert.Equal(
            Rows(databasePath, $"SELECT {Hour}, ErrorCode, COALESCE(AccountId, ''), COUNT(*) FROM Events WHERE ErrorCode IS NOT NULL GROUP BY 1, 2, 3"),
            Rows(databasePath, "SELECT Hour, ErrorCode, AccountKey, Count FROM HourlyErrorCounts WHERE Count <> 0"));
        Assert.Equal(
            Rows(databasePath, $"SELECT {Day}, ErrorCode, COALESCE(AccountId, ''), COUNT(*) FROM Events WHERE ErrorCode IS NOT NULL GROUP BY 1, 2, 3"),
            Rows(databasePath, "SELECT Day, ErrorCode, AccountKey, Count FROM DailyErrorCounts WHERE Count <> 0"));
        if (TestStore.Find(databasePath) is null)
        {
            // SQLite's running totals: each day row's is the pair's row before it plus its own count (no retention here:
            // a pair's first row starts from 0), and every pair is listed.
            Assert.Empty(Rows(databasePath,
                """
                SELECT AccountKey, ErrorCode, Day FROM (SELECT AccountKey, ErrorCode, Day, RunningCount - Count AS Before,
                    LAG(RunningCount, 1, 0) OVER (PARTITION BY AccountKey, ErrorCode ORDER BY Day) AS Previous FROM DailyErrorCounts)
                WHERE Before <> Previous
                """));
            Assert.Empty(Rows(databasePath,
                "SELECT AccountKey, ErrorCode FROM DailyErrorCounts d WHERE NOT EXISTS (SELECT 1 FROM AccountErrorCodes p WHERE p.AccountKey = d.AccountKey AND p.ErrorCode = d.ErrorCode)"));
        }
        Assert.Equal(
            Rows(databasePath, $"SELECT {Day}, ErrorCode, COUNT(*) FROM Events WHERE ErrorCode IS NOT NULL GROUP BY 1, 2"),
            Rows(databasePath, "SELECT Day, ErrorCode, Count FROM DailyCodeTotals WHERE Count <> 0"));
        Assert.Equal(
            Rows(databasePath, $"SELECT {Hour}, ErrorCode, COUNT(*) FROM Events WHERE ErrorCode IS NOT NULL GROUP BY 1, 2"),
            Rows(databasePath, "SELECT Hour, ErrorCode, Count FROM HourlyCodeTotals WHERE Count <> 0"));
        Assert.Equal(
            Rows(databasePath, "SELECT AccountId, COUNT(*), MAX(Id) FROM Events WHERE AccountId IS NOT NULL GROUP BY 1"),
            Rows(databasePath, "SELECT AccountId, EventCount, LastEventId FROM Accounts WHERE EventCount > 0"));
    }

    /// <summary>Rows as sorted text lines, so the two sides compare whatever order the store returns them in.</summary>
    public static List<string> Rows(string databasePath, string sql)
    {
        var rows = TestStore.Rows(databasePath, sql)
            .Select(row => string.Join('|', row.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))))
            .ToList();
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
