using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeLink.Dashboard.Features.Events;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Features.Accounts;

public partial class AccountDetailPage
{
    public const int TimelineLength = 50;

    private AccountDetail? _detail;
    private IReadOnlyList<EventSummary> _events = [];
    private bool _loaded;
    private List<BreadcrumbItem> _breadcrumbs = [];

    [Parameter] public string AccountId { get; set; } = "";

    [Inject] private AccountQueries Accounts { get; set; } = null!;
    [Inject] private EventQueries Events { get; set; } = null!;

    protected override async Task OnParametersSetAsync()
    {
        _breadcrumbs = [new("Accounts", DashboardUrls.Accounts), new(AccountId, null, disabled: true)];
        await LoadAsync();
    }

    // Changes with no account (e.g. PIN expiry) may still concern this one.
    protected override bool IsRelevant(LiveChange change)
    {
        if (change.Kind == LiveChangeKind.EventRedelivered) return false;
        var account = change.Event?.AccountId ?? change.AccountId;
        return account is null || account == AccountId;
    }

    protected override Task OnLiveChangeAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _detail = await Accounts.GetAsync(AccountId, CancellationToken.None);
        _events = _detail is null ? [] : (await Events.ListAsync(new EventFilter(Account: AccountId), TimelineLength, null, CancellationToken.None)).Items;
        _loaded = true;
    }

    private static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "—";
}
