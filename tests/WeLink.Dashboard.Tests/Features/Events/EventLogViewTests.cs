using WeLink.Dashboard.Features.Events;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Tests.Features.Events;

public class EventLogViewTests
{
    private static EventSummary Event(string type = "CONNECTION_SENT", string? account = "acc-1", string? code = null) =>
        new(1, DateTimeOffset.Parse("2026-03-01T10:00:00Z"), type, DerivationSource.Hinted, account, DerivationSource.Hinted, "SUCCESS", "r", code, null, SignatureOutcome.VerifiedNode, 1);

    [Fact]
    public void FromQuery_DropsBlanksAndParsesTimes()
    {
        var filter = EventLogView.FromQuery("connection_sent", " acc-1 ", "", null, "2026-03-01T00:00:00Z", "garbage", "  ");

        Assert.Equal(new EventFilter(Type: "CONNECTION_SENT", Account: "acc-1", Since: DateTimeOffset.Parse("2026-03-01T00:00:00Z")), filter);
        Assert.True(EventLogView.IsEmpty(EventLogView.FromQuery(null, null, null, null, null, null, null)));
    }

    [Fact]
    public void Matches_ChecksEverySummaryFilter()
    {
        Assert.True(EventLogView.Matches(EventFilter.None, Event()));
        Assert.True(EventLogView.Matches(new EventFilter(Type: "CONNECTION_SENT", Account: "acc-1"), Event()));
        Assert.False(EventLogView.Matches(new EventFilter(Account: "acc-2"), Event()));
        Assert.False(EventLogView.Matches(new EventFilter(ErrorCode: "STATUS_429"), Event()));
        Assert.True(EventLogView.Matches(new EventFilter(Account: EventFilter.Unattributed), Event(account: null)));
        Assert.False(EventLogView.Matches(new EventFilter(Account: EventFilter.Unattributed), Event()));
        Assert.False(EventLogView.Matches(new EventFilter(Since: DateTimeOffset.Parse("2026-03-02T00:00:00Z")), Event()));
    }

    [Fact]
    public void Choices_IncludeDocumentedUnknownSeenAndCurrent()
    {
        var types = EventLogView.TypeChoices(["WEIRD_THING", "CONNECTION_SENT"], "FROM_URL");

        Assert.Equal(EventTypes.Documented, types.Take(EventTypes.Documented.Count));
        Assert.Contains(EventTypes.Unknown, types);
        Assert.Contains("WEIRD_THING", types);
        Assert.Contains("FROM_URL", types);
        Assert.Equal(types.Count, types.Distinct().Count());
        Assert.Contains(EventFilter.Unattributed, EventLogView.AccountChoices(["acc-1"], null));
    }

    [Theory]
    [InlineData(DerivationSource.Explicit, "explicit")]
    [InlineData(DerivationSource.Hinted, "hinted")]
    [InlineData(DerivationSource.Correlated, "correlated")]
    [InlineData(DerivationSource.Inferred, "guess")]
    [InlineData(DerivationSource.Unknown, "unknown")]
    public void DerivationLabel_InferenceIsAGuess(DerivationSource source, string expected) =>
        Assert.Equal(expected, EventLogView.DerivationLabel(source));

    [Fact]
    public void LocalInput_RoundTripsInTheOperatorsZone()
    {
        var offset = TimeSpan.FromHours(-5);
        var at = DateTimeOffset.Parse("2026-03-01T15:30:00Z");

        Assert.Equal("2026-03-01T10:30", EventLogView.ToLocalInput(at, offset));
        Assert.Equal(at, EventLogView.FromLocalInput("2026-03-01T10:30", offset));
        Assert.Null(EventLogView.FromLocalInput("", offset));
    }
}
