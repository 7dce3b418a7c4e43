namespace WeLink.Dashboard.Data.Sql;

/// <summary>A gateway call as it starts: recorded before anything is forwarded.</summary>
public sealed record GatewayCallStart(long At, string Caller, string Action, string? AccountId, string? PendingEmail);

/// <summary>How one account stands against a rolling-hour budget, as the writer reads it.</summary>
public sealed record BudgetUse(long Count, long? OldestAt);

/// <summary>Statements on <c>GatewayCalls</c>.</summary>
internal static class GatewaySql
{
    public static long InsertGatewayCall(this WriteSession session, GatewayCallStart call, int? status = null) => session.Scalar<long>(
        """
        INSERT INTO GatewayCalls (At, Caller, Action, AccountId, PendingEmail, Status, Budget)
        VALUES ($at, $caller, $action, $a, $email, $status, $none) RETURNING Id
        """,
        ("$at", call.At), ("$caller", call.Caller), ("$action", call.Action), ("$a", call.AccountId), ("$email", call.PendingEmail),
        ("$status", status), ("$none", nameof(GatewayBudget.None)));

    /// <summary>Completes a call with We-Link's answer (or the gateway's 502/504) and the budget it spent.</summary>
    public static void CompleteGatewayCall(this WriteSession session, long id, int status, string? requestId, long latencyMs, GatewayBudget budget) =>
        session.Execute(
            "UPDATE GatewayCalls SET Status = $s, RequestId = $r, LatencyMs = $l, Budget = $b WHERE Id = $id",
            ("$s", status), ("$r", requestId), ("$l", latencyMs), ("$b", budget.ToString()), ("$id", id));

    /// <summary>Calls counted on the account's <paramref name="budget"/> since <paramref name="since"/>, and the oldest of them.</summary>
    public static BudgetUse BudgetUseOf(this WriteSession session, string accountId, GatewayBudget budget, long since) => session.Row(
        "SELECT COUNT(*), MIN(At) FROM GatewayCalls WHERE AccountId = $a AND At > $since AND Budget = $b",
        r => new BudgetUse(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1)),
        ("$a", accountId), ("$since", since), ("$b", budget.ToString()))!;

    /// <summary>The distinct e-mails still standing in for an account.</summary>
    public static List<string> PendingEmails(this WriteSession session) => session.Rows(
        "SELECT DISTINCT PendingEmail FROM GatewayCalls WHERE PendingEmail IS NOT NULL", r => r.GetString(0));

    /// <summary>The e-mail standing in for the account of the login whose request this is, if any.</summary>
    public static string? PendingEmailOf(this WriteSession session, string requestId) => session.Rows(
        PendingEmailOfSql, r => r.GetString(0), ("$r", requestId)).FirstOrDefault();

    /// <summary>
    /// Read in the writer when an operator submits a PIN for a request with no account: through the index of the calls
    /// whose e-mail stands in for an account, by request id, it reads those calls only, not every call of the log.
    /// </summary>
    internal const string PendingEmailOfSql = "SELECT PendingEmail FROM GatewayCalls WHERE RequestId = $r AND PendingEmail IS NOT NULL LIMIT 1";

    /// <summary>The e-mail's calls take the account id they stood in for; answers their request ids.</summary>
    public static List<string> ResolvePendingEmail(this WriteSession session, string email, string accountId) => session.Rows(
        "UPDATE GatewayCalls SET AccountId = $a, PendingEmail = NULL WHERE PendingEmail = $e RETURNING RequestId",
        r => r.NullableString(0) ?? "", ("$a", accountId), ("$e", email)).Where(r => r.Length > 0).ToList();
}
