namespace WeLink.Dashboard.Data;

/// <summary>Which rolling-hour budget a gateway call spent, if any.</summary>
public enum GatewayBudget
{
    None,
    Actions,
    MessageSyncs,
}

/// <summary>
/// One call through the gateway (<c>/welink/api/v1/{action}</c>): who, what, for which account,
/// We-Link's request id and status, how long. Never a body field beyond the account (or, for a
/// login whose account is not known yet, the e-mail that stands in for it).
/// </summary>
public sealed class GatewayCall
{
    public long Id { get; set; }
    public long At { get; set; }
    /// <summary>The token's name, or "api-key" for We-Link's own credentials.</summary>
    public string Caller { get; set; } = "";
    public string Action { get; set; } = "";
    public string? AccountId { get; set; }
    /// <summary>A login's e-mail while its account id is not known; cleared when it is.</summary>
    public string? PendingEmail { get; set; }
    public string? RequestId { get; set; }
    /// <summary>We-Link's status code, or the gateway's own (502, 504, 429); null while the call is under way.</summary>
    public int? Status { get; set; }
    public long? LatencyMs { get; set; }
    public GatewayBudget Budget { get; set; }
}
