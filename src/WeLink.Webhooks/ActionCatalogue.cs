namespace WeLink.Webhooks;

/// <summary>How the gateway treats one We-Link action.</summary>
public enum ActionKind
{
    /// <summary>Answers with a request id; the outcome comes by webhook. Counts against the action budget.</summary>
    Asynchronous,
    /// <summary>An asynchronous action that counts against the message-sync budget.</summary>
    MessageSync,
    /// <summary>Answers at once (get_response, me, account management): forwarded and recorded, not tracked or counted.</summary>
    Synchronous,
}

/// <summary>
/// We-Link's actions as data: which event family each asynchronous one belongs to (the key of
/// correlation) and which calls are synchronous. design.md's defaults; extra entries come from
/// <c>Gateway:Actions</c>. An action not listed is taken as asynchronous with no family: it still
/// attributes its account, its type stays inferred.
/// </summary>
public sealed class ActionCatalogue
{
    /// <summary>design.md's catalogue: action → family (as <see cref="RequestActions"/> names it).</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultFamilies = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["login_v2"] = RequestActions.Login,
        ["connect"] = RequestActions.Connect,
        ["send_message"] = RequestActions.Message,
        ["send_message_to_thread"] = RequestActions.Message,
        ["send_message_to_sales_navigator_thread"] = RequestActions.Message,
        ["personal_messages"] = RequestActions.MessageSync,
        ["view_profile"] = RequestActions.ViewProfile,
        ["get_profile_details"] = RequestActions.ScrapeProfile,
        ["search"] = RequestActions.Search,
        ["sales_navigator_search"] = RequestActions.Search,
    };

    /// <summary>Calls that answer at once: the dashboard's own and We-Link's account management.</summary>
    public static readonly IReadOnlySet<string> SynchronousActions = new HashSet<string>(StringComparer.Ordinal)
    {
        "get_response", "me", "login_code", "get_all_ln_accounts", "get_ln_account_details", "delete_ln_account",
        "update_ln_account", "update_message_tracker", "get_active_tracker",
    };

    public static readonly ActionCatalogue Default = new(null);

    private readonly Dictionary<string, string> _families;

    /// <param name="extra">Action → family entries added to (or replacing) the defaults; a family must be one <see cref="RequestActions.Normalize"/> knows.</param>
    public ActionCatalogue(IReadOnlyDictionary<string, string>? extra)
    {
        _families = new Dictionary<string, string>(DefaultFamilies, StringComparer.Ordinal);
        foreach (var (action, family) in extra ?? new Dictionary<string, string>())
        {
            if (RequestActions.Normalize(family) is not { } normalized)
                throw new ArgumentException($"Gateway:Actions:{action} names an unknown family '{family}' (one of {string.Join(", ", RequestActions.All)}).");
            _families[action] = normalized;
        }
    }

    public IReadOnlyDictionary<string, string> Families => _families;

    /// <summary>The family the action's webhooks belong to; null for a synchronous or unlisted action.</summary>
    public string? FamilyOf(string action) => _families.GetValueOrDefault(action);

    public ActionKind KindOf(string action) =>
        FamilyOf(action) == RequestActions.MessageSync ? ActionKind.MessageSync
        : SynchronousActions.Contains(action) ? ActionKind.Synchronous
        : ActionKind.Asynchronous;
}
