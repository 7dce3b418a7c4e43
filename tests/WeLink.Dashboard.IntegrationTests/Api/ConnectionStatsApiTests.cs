using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Data;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Api;

/// <summary>/api/stats/connections against a recount of the stored events, over hourly and daily buckets.</summary>
public sealed class ConnectionStatsApiTests : IDisposable
{
    private readonly ShiftableTime _time = new();
    private readonly DashboardApp _app;

    public ConnectionStatsApiTests() => _app = DashboardApp.StartInTempDirectory(services: s => s.AddSingleton<TimeProvider>(_time));

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ConnectionStats_OutcomesOverSeveralDaysAccountsAndCodes_EqualARecountOfTheEvents()
    {
        // acc-1 has a name; acc-3 sends only; some failures name no account, some carry no code.
        await PostAsync(TimeSpan.Zero, "LOGIN_SUCCESS", "acc-1", """{"status":"SUCCESS","request_id":"login","result":{"first_name":"Priya","last_name":"Kowalski","email":"priya@example.com"}}""");
        var outcomes = new (double HoursAgo, string Type, string? Account, string? Code)[]
        {
            (0.2, "CONNECTION_SENT", "acc-1", null), (0.5, "CONNECTION_FAILED", "acc-1", "PROFILE_NOT_FOUND"), (1, "CONNECTION_FAILED", null, "STATUS_429"),
            (3, "CONNECTION_SENT", "acc-2", null), (5, "CONNECTION_FAILED", "acc-2", "STATUS_429"), (5, "CONNECTION_FAILED", "acc-2", "PROXY_ERROR"),
            (20, "CONNECTION_FAILED", "acc-1", null), (26, "CONNECTION_SENT", "acc-3", null), (30, "CONNECTION_FAILED", "acc-1", "STATUS_429"),
            (47, "CONNECTION_SENT", "acc-1", null), (50, "CONNECTION_FAILED", null, null), (75, "CONNECTION_SENT", "acc-2", null),
            (80, "CONNECTION_FAILED", "acc-2", "STATUS_429"), (100, "CONNECTION_SENT", "acc-1", null), (101, "CONNECTION_FAILED", "acc-1", "PROXY_ERROR"),
            (130, "CONNECTION_SENT", "acc-3", null), (150, "CONNECTION_FAILED", null, "PROXY_ERROR"), (160, "CONNECTION_SENT", "acc-1", null),
            (190, "CONNECTION_FAILED", "acc-2", "PROFILE_NOT_FOUND"), (400, "CONNECTION_SENT", "acc-1", null), (2000, "CONNECTION_FAILED", "acc-3", "STATUS_429"),
        };
        for (var i = 0; i < outcomes.Length; i++)
        {
            var (hoursAgo, type, account, code) = outcomes[i];
            var json = type == EventTypes.ConnectionSent
                ? $$$"""{"status":"SUCCESS","request_id":"c{{{i}}}","result":{"connected":true}}"""
                : code is null ? $$"""{"status":"FAILED","request_id":"c{{i}}"}""" : $$"""{"status":"FAILED","request_id":"c{{i}}","error":"{{code}}"}""";
            await PostAsync(TimeSpan.FromHours(-hoursAgo), type, account, json);
        }
        _time.Offset = TimeSpan.Zero;
        var now = DateTimeOffset.UtcNow;

        // Hourly buckets (up to 48 hours), daily buckets whose days are named (up to 100 days), daily buckets read
        // as a range (beyond), the default week, and one account or the unattributed events alone.
        var ranges = new (string? Account, DateTimeOffset? Since, DateTimeOffset? Until)[]
        {
            (null, now.AddHours(-40), now.AddMinutes(1)), (null, now.AddHours(-30.5), now.AddHours(-2.5)), (null, now.AddDays(-6), now.AddDays(-1)),
            (null, now.AddDays(-200), now.AddMinutes(1)), (null, null, null), ("acc-1", now.AddDays(-6), now.AddMinutes(1)),
            ("(unattributed)", now.AddDays(-7), now.AddMinutes(1)), ("acc-2", now.AddHours(-24), now.AddMinutes(1)),
        };
        var stored = _app.Rows("SELECT ReceivedAt, AccountId, EventType, ErrorCode FROM Events WHERE EventType IN ('CONNECTION_SENT', 'CONNECTION_FAILED')")
            .Select(r => (At: Convert.ToInt64(r[0]), Account: (string?)r[1], Type: (string)r[2]!, Code: (string?)r[3])).ToList();
        Assert.Equal(outcomes.Length, stored.Count);

        foreach (var (account, since, until) in ranges)
        {
            var query = string.Join("&", new[] { ("account", account), ("since", since?.ToString("O")), ("until", until?.ToString("O")) }
                .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
            var response = await _app.Http.GetAsync("/api/stats/connections?" + query);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var answer = document.RootElement;

            // The recount: every event in the buckets the range touches, as the route answers (the default is the last week).
            var to = until ?? answer.GetProperty("until").GetDateTimeOffset();
            var from = since ?? to.AddDays(-7);
            var bucket = EventCounters.BucketFor(from, to);
            var (first, end) = (EventCounters.Floor(from, bucket), EventCounters.Ceiling(to, bucket));
            var counted = stored.Where(e => e.At >= first && e.At < end
                && (account is null || (account == "(unattributed)" ? e.Account is null : e.Account == account))).ToList();
            Assert.NotEmpty(counted);
            static bool Sent((long At, string? Account, string Type, string? Code) e) => e.Type == EventTypes.ConnectionSent;
            var expectedHours = counted.GroupBy(e => e.At - e.At % bucket).OrderBy(g => g.Key)
                .Select(g => $"{DateTimeOffset.FromUnixTimeMilliseconds(g.Key):O} {g.Count(Sent)} {g.Count(e => !Sent(e))}");
            var expectedAccounts = counted.GroupBy(e => e.Account)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key ?? "-"} {(g.Key == "acc-1" ? "Priya Kowalski priya@example.com" : "- -")} {g.Count(Sent)} {g.Count(e => !Sent(e))} " + string.Join(",",
                    g.Where(e => !Sent(e)).GroupBy(e => string.IsNullOrEmpty(e.Code) ? "(no code)" : e.Code)
                        .OrderByDescending(c => c.Count()).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Count()}")));

            var label = $"{account} {since:O}..{until:O}";
            Assert.True(expectedHours.SequenceEqual(answer.GetProperty("perHour").EnumerateArray().Select(h =>
                $"{h.GetProperty("hour").GetDateTimeOffset():O} {h.GetProperty("sent").GetInt64()} {h.GetProperty("failed").GetInt64()}")), label);
            Assert.Equal(expectedAccounts, answer.GetProperty("perAccount").EnumerateArray().Select(a =>
                $"{a.GetProperty("accountId").GetString() ?? "-"} {a.GetProperty("displayName").GetString() ?? "-"} {a.GetProperty("email").GetString() ?? "-"} "
                + $"{a.GetProperty("sent").GetInt64()} {a.GetProperty("failed").GetInt64()} "
                + string.Join(",", a.GetProperty("failureReasons").EnumerateObject().Select(r => $"{r.Name}={r.Value.GetInt64()}"))));
            Assert.Equal((counted.Count(Sent), counted.Count(e => !Sent(e))), (answer.GetProperty("sent").GetInt64(), answer.GetProperty("failed").GetInt64()));
        }
    }

    private async Task PostAsync(TimeSpan at, string type, string? account, string json)
    {
        _time.Offset = at;
        var path = $"/webhooks/welink/{type}" + (account is null ? "" : $"?account={account}");
        Assert.Equal(HttpStatusCode.OK, (await _app.PostSignedWebhookAsync(json, path)).StatusCode);
    }

    private sealed class ShiftableTime : TimeProvider
    {
        public TimeSpan Offset { get; set; }
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
