using Bunit;
using MudBlazor;
using WeLink.Dashboard.Components.Shared;
using WeLink.Dashboard.Features.Shared;
using WeLink.Dashboard.Tests.Components;

namespace WeLink.Dashboard.Tests.Features.Shared;

public class AccountPickerTests : DashboardComponentTest
{
    private static readonly AccountName[] Fleet =
    [
        new("6df95e3c-0001", "Priya Kowalski", "priya@example.com"),
        new("7aa0-0002", "José Núñez", "ops@fleet.example"),
        new("9bb0-0003"),
    ];

    [Theory]
    [InlineData("kowal", "6df95e3c-0001")]
    [InlineData("ops@fleet", "7aa0-0002")]
    [InlineData("9bb0", "9bb0-0003")]
    public async Task Typing_NameEmailOrId_OffersThatAccountAndPicksItsId(string typed, string expected)
    {
        var popovers = Context.Render<MudPopoverProvider>();
        string? picked = null;
        var cut = Context.Render<AccountPicker>(p => p
            .Add(x => x.Accounts, Fleet)
            .Add(x => x.ValueChanged, (string? v) => picked = v));

        await cut.Find("input").InputAsync(new() { Value = typed });

        popovers.WaitForAssertion(() =>
        {
            var options = popovers.FindAll("[data-testid=account-option]");
            Assert.Single(options);
        }, WaitTimeout);
        await popovers.Find(".mud-list-item").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(expected, picked), WaitTimeout);
    }

    [Fact]
    public void StartOfDay_BrowserZone_IsLocalMidnightWithDaylightSaving()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        // 23:30 UTC on 1 July is already 2 July in Berlin (UTC+2 in summer).
        var summer = UiPreferences.StartOfDay(new DateTimeOffset(2026, 7, 1, 23, 30, 0, TimeSpan.Zero), berlin, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 7, 2, 0, 0, 0, TimeSpan.FromHours(2)), summer);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 22, 0, 0, TimeSpan.Zero), summer.ToUniversalTime());
        var winter = UiPreferences.StartOfDay(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), berlin, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), winter.ToUniversalTime());
        // Without a zone name the browser's current offset decides.
        var offsetOnly = UiPreferences.StartOfDay(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero), null, TimeSpan.FromHours(-5));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 5, 0, 0, TimeSpan.Zero), offsetOnly.ToUniversalTime());
    }
}
