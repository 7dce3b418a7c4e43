using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Events;

namespace WeLink.Dashboard.IntegrationTests.Api;

/// <summary>
/// Free text over the real server and file, with the search indexer stopped so each test decides which events
/// the trigram index holds: the answer must be what a scan of every payload gives, newest first, whichever part
/// (indexed or not yet) each match sits in, with filters, the cursor and grid pages.
/// </summary>
// SQLite only: the FTS5 index and its indexer (PostgreSQL searches through its trigram index).
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class EventSearchTests : IDisposable
{
    private readonly DashboardApp _app = DashboardApp.StartInTempDirectory(services: services =>
    {
        var indexer = services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(EventSearchIndexer));
        services.Remove(indexer);
    });

    public void Dispose() => _app.Dispose();

    private async Task PostAsync(string json, string path = "/webhooks/welink") =>
        Assert.Equal(HttpStatusCode.OK, (await _app.PostSignedWebhookAsync(json, path)).StatusCode);

    /// <summary>Indexes every event stored so far, as the indexer does.</summary>
    private Task IndexAllAsync()
    {
        using (var indexer = ActivatorUtilities.CreateInstance<EventSearchIndexer>(_app.Services)) indexer.CatchUp();
        Assert.Equal(_app.Scalar<long>("SELECT COUNT(*) FROM Events"), _app.SearchIndexScalar<long>("SELECT COUNT(*) FROM EventSearch"));
        return Task.CompletedTask;
    }

    /// <summary>What the search must answer: every event whose payload contains the text (case-insensitive), newest first, by a full scan.</summary>
    private List<long> Scan(string text, string where = "1")
    {
        using var connection = _app.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT Id FROM Events WHERE instr(lower(CAST(RawBody AS TEXT)), $t) > 0 AND {where} ORDER BY Id DESC";
        command.Parameters.AddWithValue("$t", text.ToLowerInvariant());
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read()) ids.Add(reader.GetInt64(0));
        return ids;
    }

    /// <summary>Every page of <c>/api/events</c> for the query, following <c>nextCursor</c>: the ids in order.</summary>
    private async Task<List<long>> WalkAsync(string query, int limit, string? cursor = null)
    {
        var ids = new List<long>();
        for (var pages = 0; pages < 200; pages++)
        {
            var response = await _app.Http.GetAsync($"/api/events?{query}&limit={limit}{(cursor is null ? "" : "&cursor=" + cursor)}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var items = document.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
            Assert.True(items.Count <= limit);
            ids.AddRange(items);
            cursor = document.RootElement.GetProperty("nextCursor").GetString();
            if (cursor is null) return ids;
        }
        throw new InvalidOperationException("paging did not end");
    }

    /// <summary>Events of two accounts and types, most of them naming Zürich, some in (ASCII) upper case.</summary>
    private async Task SeedAsync(int count, string prefix)
    {
        for (var i = 0; i < count; i++)
        {
            var city = (i % 4) switch { 0 => "Berlin", 1 => "ZüRICH", _ => "Zürich" };
            var json = i % 3 == 0
                ? $$$"""{"status":"FAILED","request_id":"{{{prefix}}}-{{{i}}}","error":"PROXY_ERROR","message":"proxy in {{{city}}} refused"}"""
                : $$$"""{"status":"SUCCESS","request_id":"{{{prefix}}}-{{{i}}}","result":{"connected":true,"profile_id":"P{{{i}}}","location":"{{{city}}}"}}""";
            await PostAsync(json, $"/webhooks/welink?account=acc-{i % 2 + 1}");
        }
    }

    [Fact]
    public async Task Events_CommonTermPagedWithCursor_SameRowsAsAScan()
    {
        await SeedAsync(45, "old");
        await IndexAllAsync();
        await SeedAsync(20, "new");

        var expected = Scan("zürich");
        Assert.Equal(48, expected.Count);
        // Pages of 7 straddle the not-yet-indexed newest events and the indexed ones.
        Assert.Equal(expected, await WalkAsync("q=" + Uri.EscapeDataString("Zürich"), 7));
        Assert.Equal(expected, await WalkAsync("q=" + Uri.EscapeDataString("zürich"), 50));
        // A cursor taken anywhere, in either part, goes on from there.
        foreach (var at in new[] { 3, 19, 20, 21, 40 })
            Assert.Equal(expected.Skip(at + 1), await WalkAsync("q=" + Uri.EscapeDataString("ZüRICH"), 6, expected[at].ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Events_TermOnlyInNotYetIndexedEvents_Found()
    {
        await SeedAsync(12, "old");
        await IndexAllAsync();
        await PostAsync("""{"status":"FAILED","request_id":"fresh-1","error":"SESSION_EXPIRED","message":"Quokka seen"}""");
        await SeedAsync(3, "new");
        await PostAsync("""{"status":"FAILED","request_id":"fresh-2","error":"SESSION_EXPIRED","message":"another quokka"}""");

        var expected = Scan("quokka");
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected, await WalkAsync("q=QUOKKA", 1));
        Assert.Equal(expected, await WalkAsync("q=quokka", 50));
    }

    [Fact]
    public async Task Events_TermWithAccountAndTypeFilters_SameRowsAsAScan()
    {
        await SeedAsync(40, "old");
        await IndexAllAsync();
        await SeedAsync(16, "new");

        var withAccountAndType = Scan("zürich", "AccountId = 'acc-2' AND EventType = 'CONNECTION_SENT'");
        Assert.NotEmpty(withAccountAndType);
        Assert.Equal(withAccountAndType, await WalkAsync("q=" + Uri.EscapeDataString("Zürich") + "&account=acc-2&type=CONNECTION_SENT", 3));
        var failed = Scan("zürich", "Status = 'FAILED' AND ErrorCode = 'PROXY_ERROR' AND AccountId = 'acc-1'");
        Assert.NotEmpty(failed);
        Assert.Equal(failed, await WalkAsync("q=" + Uri.EscapeDataString("zürich") + "&status=FAILED&errorCode=PROXY_ERROR&account=acc-1", 2));
        Assert.Empty(await WalkAsync("q=" + Uri.EscapeDataString("zürich") + "&account=acc-9", 5));
    }

    [Fact]
    public async Task Events_QuotesAndShortTerms_MatchLiterally()
    {
        await PostAsync("""{"status":"FAILED","request_id":"q-1","error":"SESSION_EXPIRED","message":"say \"hi\" to Zoë"}""");
        await PostAsync("""{"status":"PIN_REQUIRED","request_id":"q-2","message":"Please provide the code"}""", "/webhooks/welink?account=acc-1");
        await IndexAllAsync();
        await PostAsync("""{"status":"FAILED","request_id":"q-3","error":"SESSION_EXPIRED","message":"\"hi\" again, zo"}""");
        await PostAsync("""{"status":"PIN_REQUIRED","request_id":"q-4","message":"code please"}""", "/webhooks/welink?account=acc-2");

        foreach (var text in new[] { "\\\"hi\\\"", "\"status\":\"PIN_REQUIRED", "\"", "\"\"", "zo", "Z", "oë", "AND", "hi OR code", "*", "NEAR(" })
            Assert.Equal(Scan(text), await WalkAsync("q=" + Uri.EscapeDataString(text), 1));
        Assert.Equal(2, Scan("\"status\":\"PIN_REQUIRED").Count);
        Assert.Equal(2, Scan("zo").Count);
    }

    [Fact]
    public async Task Events_LongAsciiTerm_SameRowsAsAScanWhereverItsPiecesSit()
    {
        // Long terms are looked up by their six-character pieces and checked whole on the payload.
        const string id = "7f3a9c2e-41b0-4d8e-9a6f-0c5b2e7d1a94";
        Assert.True(EventSearchSql.SearchedInPieces(id));
        await SeedAsync(10, "old");
        await PostAsync($$$"""{"status":"SUCCESS","request_id":"{{{id}}}","result":{"connected":true}}""", "/webhooks/welink?account=acc-1");
        await PostAsync($$"""{"status":"FAILED","request_id":"x-1","error":"PROXY_ERROR","message":"retry of {{id.ToUpperInvariant()}} refused"}""");
        // Every piece of the term, but never in one run: found by the pieces, not a match.
        await PostAsync("""{"status":"FAILED","request_id":"x-2","error":"PROXY_ERROR","message":"7d1a94 0c5b2e -9a6f- 0-4d8e 2e-41b 7f3a9c"}""");
        // The term with one character changed in its last piece.
        await PostAsync("""{"status":"SUCCESS","request_id":"7f3a9c2e-41b0-4d8e-9a6f-0c5b2e7d1a95","result":{"connected":true}}""", "/webhooks/welink?account=acc-2");
        await IndexAllAsync();
        await PostAsync($$$"""{"status":"SUCCESS","request_id":"y-1","result":{"note":"after {{{id}}}"}}""", "/webhooks/welink?account=acc-2");

        var expected = Scan(id);
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected, await WalkAsync("q=" + id, 1));
        Assert.Equal(expected, await WalkAsync("q=" + id.ToUpperInvariant(), 50));
        Assert.Equal(Scan(id, "AccountId = 'acc-1'"), await WalkAsync("q=" + id + "&account=acc-1", 50));
        // Lengths around the pieces' edges (a short last piece joins the one before), spaces and quotes inside.
        foreach (var text in new[] { id[..12], id[..13], id[..14], id[..17], "proxy_error\",\"message\":\"retry", " of 7F3A9C2E-41B0", "\"request_id\":\"x-2\"" })
        {
            Assert.True(EventSearchSql.SearchedInPieces(text));
            Assert.Equal(Scan(text), await WalkAsync("q=" + Uri.EscapeDataString(text), 2));
        }
        Assert.NotEmpty(Scan(" of 7F3A9C2E-41B0"));
        Assert.NotEmpty(Scan("\"request_id\":\"x-2\""));
    }

    [Fact]
    public async Task Events_LongTermWithNonAsciiLetters_StillOnePhraseFoldedByTheIndex()
    {
        await PostAsync("""{"status":"FAILED","request_id":"u-0","error":"PROXY_ERROR","message":"proxy in Zug refused"}""");
        await PostAsync("""{"status":"FAILED","request_id":"u-1","error":"PROXY_ERROR","message":"proxy in ZÜRICH refused"}""");
        await PostAsync("""{"status":"FAILED","request_id":"u-2","error":"PROXY_ERROR","message":"proxy in zürich refused"}""");
        await IndexAllAsync();
        var ids = _app.Scalar<string>("SELECT group_concat(Id) FROM (SELECT Id FROM Events WHERE RequestId IN ('u-1', 'u-2') ORDER BY Id DESC)");

        // The index folds Ü to ü; SQLite's lower() would not, so such text is not checked on the payload.
        const string text = "Proxy in Zürich refused";
        Assert.False(EventSearchSql.SearchedInPieces(text));
        Assert.Equal(ids, string.Join(',', await WalkAsync("q=" + Uri.EscapeDataString(text), 50)));
    }

    [Fact]
    public async Task Events_UpperCaseLettersBeyondAscii_SameAnswerBeforeAndAfterIndexing()
    {
        // The index folds every letter (Ü to ü, É to é); the newest events, not indexed yet, and short text, which is
        // never looked up in the index, must answer the same. SQLite's lower() folds ASCII only.
        await PostAsync("""{"status":"FAILED","request_id":"f-1","error":"PROXY_ERROR","message":"proxy in ZÜRICH refused"}""");
        await PostAsync("""{"status":"FAILED","request_id":"f-2","error":"PROXY_ERROR","message":"proxy in Zurich refused"}""");
        await PostAsync("""{"status":"FAILED","request_id":"f-3","error":"PROXY_ERROR","message":"proxy in zürich refused, ÉCOLE closed"}""");
        long Id(string requestId) => _app.Scalar<long>("SELECT Id FROM Events WHERE RequestId = $r", ("$r", requestId));
        List<long> both = [Id("f-3"), Id("f-1")];
        var cases = new (string Text, List<long> Expected)[]
        {
            ("zürich", both), ("ZÜRICH", both), ("Proxy in Zürich refused", both), ("ÜRI", both), ("Ü", both), ("ü", both),
            ("école", [Id("f-3")]), ("É", [Id("f-3")]), ("zurich", [Id("f-2")]),
        };

        foreach (var (text, expected) in cases)
            Assert.Equal(expected, await WalkAsync("q=" + Uri.EscapeDataString(text), 1));
        await IndexAllAsync();
        foreach (var (text, expected) in cases)
            Assert.Equal(expected, await WalkAsync("q=" + Uri.EscapeDataString(text), 50));
    }

    [Fact]
    public async Task PageAsync_FreeText_PagesAndTotalAsAScan()
    {
        await SeedAsync(30, "old");
        await IndexAllAsync();
        await SeedAsync(11, "new");
        var queries = _app.Services.GetRequiredService<EventQueries>();

        var expected = Scan("zürich");
        var seen = new List<long>();
        for (var page = 0; page * 4 < expected.Count + 4; page++)
        {
            var (items, total) = await queries.PageAsync(new EventFilter(Q: "Zürich"), page, 4, CancellationToken.None);
            Assert.Equal(expected.Count, total);
            seen.AddRange(items.Select(e => e.Id));
        }
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Export_FreeText_EveryMatchOnceNewestFirst()
    {
        await SeedAsync(30, "old");
        await IndexAllAsync();
        await SeedAsync(9, "new");
        var queries = _app.Services.GetRequiredService<EventQueries>();

        var exported = new List<long>();
        await foreach (var (summary, _) in queries.ExportAsync(new EventFilter(Q: "zürich", Account: "acc-1"), CancellationToken.None))
            exported.Add(summary.Id);
        Assert.Equal(Scan("zürich", "AccountId = 'acc-1'"), exported);
    }

    [Fact]
    public async Task IndexedEventsContaining_ComposedPage_WalksTheIndexNewestFirstWithoutASort()
    {
        await SeedAsync(8, "old");
        await IndexAllAsync();
        // One phrase, and a long text looked up by its pieces: the same walk.
        foreach (var text in new[] { "Zürich", "old-1\",\"result\":{\"connected" })
            await AssertIndexWalkedNewestFirstAsync(text);
    }

    private async Task AssertIndexWalkedNewestFirstAsync(string text)
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
        // The page the event log composes: filters, a cursor, newest first, a limit.
        var sql = db.IndexedEventsContaining(text, long.MaxValue)
            .Where(e => e.AccountId == "acc-1" && e.EventType == "CONNECTION_SENT" && e.Id < 1_000_000)
            .OrderByDescending(e => e.Id).Take(51).Select(e => e.Id).ToQueryString();

        // Opened through EF, as the product's reads are: its interceptor attaches the search index's file. A bare
        // DbConnection.OpenAsync skips interceptors, so a pooled connection EF never opened has no EventSearch.
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        // ToQueryString declares the parameters as sqlite3 ".param set" lines: left out, they plan as NULL.
        command.CommandText = "EXPLAIN QUERY PLAN\n" + string.Join('\n', sql.Split('\n').Where(line => !line.StartsWith(".param", StringComparison.Ordinal)));
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(3));

        // FTS5 hands out matches in descending rowid order (ORDER BY consumed), each row read by primary key: no sort of every match.
        Assert.StartsWith("SCAN s VIRTUAL TABLE INDEX", plan[0]);
        Assert.Contains("SEARCH e USING INTEGER PRIMARY KEY", plan[1]);
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }
}
