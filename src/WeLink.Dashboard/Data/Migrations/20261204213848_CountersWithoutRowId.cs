using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.Migrations
{
    /// <summary>
    /// The counters become WITHOUT ROWID tables: each is one b-tree in key order with the counts in it, instead of a
    /// table in row order plus the key's index (and, for the daily counts, a covering index whose key held the count).
    /// Adding to a count rewrites one page in one b-tree; before, the table's page and the covering index's entry.
    /// The daily counts' key is day, then type (the connection outcomes of a week are sought in it), so the covering
    /// index goes. EF has no notion of WITHOUT ROWID: its own rebuilds of these tables (an altered column, say) would
    /// lose it, which <c>MigrationTests.Counters_OnAMigratedFile_…</c> catches.
    /// </summary>
    public partial class CountersWithoutRowId : Migration
    {
        private sealed record Counter(string Table, string Columns, string Key, string[] Indexes);

        private const string EventColumns = "\"AccountKey\" TEXT NOT NULL, \"EventType\" TEXT NOT NULL, \"ErrorCode\" TEXT NOT NULL, \"Count\" INTEGER NOT NULL";

        private static readonly Counter[] Before =
        [
            new("HourlyEventCounts", "\"Hour\" INTEGER NOT NULL, " + EventColumns, "\"Hour\", \"AccountKey\", \"EventType\", \"ErrorCode\"",
                ["CREATE INDEX \"IX_HourlyEventCounts_AccountKey_Hour\" ON \"HourlyEventCounts\" (\"AccountKey\", \"Hour\")"]),
            new("DailyEventCounts", "\"Day\" INTEGER NOT NULL, " + EventColumns, "\"Day\", \"AccountKey\", \"EventType\", \"ErrorCode\"",
                ["CREATE INDEX \"IX_DailyEventCounts_AccountKey_Day\" ON \"DailyEventCounts\" (\"AccountKey\", \"Day\")",
                 "CREATE INDEX \"IX_DailyEventCounts_Day_EventType_AccountKey_ErrorCode_Count\" ON \"DailyEventCounts\" (\"Day\", \"EventType\", \"AccountKey\", \"ErrorCode\", \"Count\")"]),
            new("HourlyErrorCounts", "\"Hour\" INTEGER NOT NULL, \"ErrorCode\" TEXT NOT NULL, \"AccountKey\" TEXT NOT NULL, \"Count\" INTEGER NOT NULL",
                "\"Hour\", \"ErrorCode\", \"AccountKey\"", []),
            new("DailyErrorCounts", "\"Day\" INTEGER NOT NULL, \"ErrorCode\" TEXT NOT NULL, \"AccountKey\" TEXT NOT NULL, \"Count\" INTEGER NOT NULL, \"RunningCount\" INTEGER NOT NULL DEFAULT 0",
                "\"Day\", \"ErrorCode\", \"AccountKey\"",
                ["CREATE INDEX \"IX_DailyErrorCounts_AccountKey_ErrorCode_Day_Count_RunningCount\" ON \"DailyErrorCounts\" (\"AccountKey\", \"ErrorCode\", \"Day\", \"Count\", \"RunningCount\")"]),
            new("HourlyCodeTotals", "\"Hour\" INTEGER NOT NULL, \"ErrorCode\" TEXT NOT NULL, \"Count\" INTEGER NOT NULL", "\"Hour\", \"ErrorCode\"", []),
            new("DailyCodeTotals", "\"Day\" INTEGER NOT NULL, \"ErrorCode\" TEXT NOT NULL, \"Count\" INTEGER NOT NULL", "\"Day\", \"ErrorCode\"", []),
        ];

        /// <summary>The same tables after: only the daily counts change their key and indexes.</summary>
        private static readonly Counter[] After = Before.Select(c => c.Table == "DailyEventCounts"
            ? c with { Key = "\"Day\", \"EventType\", \"AccountKey\", \"ErrorCode\"", Indexes = [c.Indexes[0]] }
            : c).ToArray();

        /// <summary>Makes the table again with its rows: SQLite cannot turn a table into WITHOUT ROWID, or change its key, in place.</summary>
        private static void Rebuild(MigrationBuilder migrationBuilder, Counter counter, bool withoutRowId)
        {
            var names = string.Join(", ", counter.Columns.Split(", ").Select(column => column.Split(' ')[0]));
            migrationBuilder.Sql(
                $"CREATE TABLE \"ef_temp_{counter.Table}\" ({counter.Columns}, CONSTRAINT \"PK_{counter.Table}\" PRIMARY KEY ({counter.Key})){(withoutRowId ? " WITHOUT ROWID" : "")}");
            migrationBuilder.Sql($"INSERT INTO \"ef_temp_{counter.Table}\" ({names}) SELECT {names} FROM \"{counter.Table}\"");
            migrationBuilder.Sql($"DROP TABLE \"{counter.Table}\"");
            migrationBuilder.Sql($"ALTER TABLE \"ef_temp_{counter.Table}\" RENAME TO \"{counter.Table}\"");
            foreach (var index in counter.Indexes) migrationBuilder.Sql(index);
        }

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var counter in After) Rebuild(migrationBuilder, counter, withoutRowId: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var counter in Before) Rebuild(migrationBuilder, counter, withoutRowId: false);
        }
    }
}
