using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Events;
using WeLink.Dashboard.Features.Shared;
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

    /// <summary>The account as operators know it, once loaded.</summary>
    private AccountName? Name => _detail?.Account is { } row ? new AccountName(row.AccountId, row.DisplayName, row.Email) : null;
    private string TitleText => Name?.Text ?? AccountId;

    [Inject] private AccountQueries Accounts { get; set; } = null!;
    [Inject] private EventQueries Events { get; set; } = null!;
    [Inject] private SessionHeartbeat Heartbeat { get; set; } = null!;

    private SessionCheckResult? _check;
    private bool _checking;

    protected override async Task OnParametersSetAsync()
    {
        _check = null;
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
        // The breadcrumb's last step names the account too, once its name is known.
        _breadcrumbs = [new("Accounts", DashboardUrls.Accounts), new(TitleText, null, disabled: true)];
    }

    private async Task CheckNowAsync()
    {
        _checking = true;
        try
        {
            _check = await Heartbeat.CheckNowAsync(AccountId, CancellationToken.None);
            await LoadAsync();
        }
        finally
        {
            _checking = false;
        }
    }

    private static string CheckMessage(SessionCheckResult check) => check.Outcome switch
    {
        SessionCheckOutcome.Active => "We-Link says the session is live.",
        SessionCheckOutcome.NotActive => "We-Link says the linked account is not active: it must log in again.",
        SessionCheckOutcome.Inconclusive => $"The check said nothing about the session ({check.Detail}); the state is unchanged.",
        _ => check.Detail ?? check.Outcome.ToString(),
    };

    private static string SourceLabel(StateChangeSource? source) => source switch
    {
        StateChangeSource.PinSubmission => "PIN submitted",
        StateChangeSource.PinExpiry => "PIN request expired",
        StateChangeSource.SessionCheck => "session check (/me)",
        StateChangeSource.Recompute => "recomputed from stored events",
        _ => "by the dashboard",
    };

    private static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "—";
}
