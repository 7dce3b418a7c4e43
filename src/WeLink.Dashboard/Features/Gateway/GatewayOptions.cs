using System.ComponentModel.DataAnnotations;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Gateway;

/// <summary>The <c>Gateway</c> section: budgets, their enforcement and extra catalogue entries.</summary>
public sealed class GatewayOptions : IValidatableObject
{
    public const string Section = "Gateway";

    /// <summary>We-Link's action limit per account over the rolling hour.</summary>
    [Range(1, 100_000)]
    public int ActionsPerHour { get; set; } = 100;

    /// <summary>We-Link's message-sync limit per account over the rolling hour.</summary>
    [Range(1, 100_000)]
    public int MessageSyncsPerHour { get; set; } = 150;

    /// <summary>How long the gateway waits for We-Link's answer before it answers 504 itself (design.md: 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often We-Link's account list is fetched again for a login whose e-mail it did not have
    /// (design.md: at most once a minute); while such an e-mail stands in, it is fetched this often.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AccountListRefresh { get; set; } = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan DefaultOverdueAfter = TimeSpan.FromMinutes(30);

    /// <summary>A tracked request with no webhook this long is Overdue and asked for with get_response.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "7.00:00:00")]
    public TimeSpan OverdueAfter { get; set; } = DefaultOverdueAfter;

    /// <summary>Most get_response calls in any minute.</summary>
    [Range(1, 10_000)]
    public int PollsPerMinute { get; set; } = 30;

    /// <summary>A tracked request with no result this long is Lost (We-Link's retry horizon).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "30.00:00:00")]
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(15);

    /// <summary>Answer 429 with Retry-After at the gateway instead of forwarding a call whose budget is spent.</summary>
    public bool EnforceBudgets { get; set; }

    /// <summary>Extra action → family entries (login, connect, message, message_sync, view_profile, scrape_profile, search).</summary>
    public Dictionary<string, string> Actions { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (action, family) in Actions)
        {
            if (!GatewayEndpoints.IsActionName(action))
                yield return new ValidationResult($"Gateway:Actions has an action '{action}' that is not a We-Link action name ([A-Za-z0-9_]+).");
            else if (RequestActions.Normalize(family) is null)
                yield return new ValidationResult($"Gateway:Actions:{action} names an unknown family '{family}' (one of {string.Join(", ", RequestActions.All)}).");
        }
    }
}
