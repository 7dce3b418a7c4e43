using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Features.Accounts;

/// <summary>
/// Keeps an account's login state and health times in the <c>Accounts</c> row, in the writer's
/// transaction: one fact at a time as things happen, or all over again from what is stored.
/// </summary>
public static class AccountStateProjection
{
    /// <summary>
    /// Applies one fact to the account's stored state; records a login-state change in its history
    /// and tells pages and the hub. Nothing happens for an account with no row.
    /// </summary>
    /// <returns>The state after the fact, or null when there is no such account.</returns>
    public static AccountStateRecord? Apply(WriteSession session, string accountId, AccountFact fact, long? eventId = null)
    {
        if (session.ReadAccountState(accountId) is not { } before) return null;
        var after = AccountStateMachine.Apply(before, fact);
        Save(session, accountId, before, after, fact.At, eventId, SourceOf(fact.Kind));
        return after;
    }

    /// <summary>
    /// Recomputes one account's login state and health flags from its stored events, PIN submissions
    /// and expiries and <c>/me</c> answers, replacing what the row held. For a file made before the
    /// two dimensions, and for events that moved to or from the account after the fact.
    /// Records a history entry when the login state changes; does nothing for an unknown account.
    /// </summary>
    public static void Recompute(WriteSession session, string accountId)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(accountId);
        if (session.ReadAccountState(accountId) is not { } before) return;
        var after = AccountStateMachine.Fold(session.AccountFacts(accountId));
        Save(session, accountId, before, after, session.NowMs, null, StateChangeSource.Recompute);
    }

    private static void Save(WriteSession session, string accountId, AccountStateRecord before, AccountStateRecord after, long at, long? eventId,
        StateChangeSource source)
    {
        if (after == before) return;
        session.WriteAccountState(accountId, after);
        if (after.Login != before.Login || after.LoginErrorCode != before.LoginErrorCode)
            session.InsertStateChange(accountId, after.Login, after.LoginErrorCode, after.LoginSince ?? at, eventId, source);
        // Alerts commit with the change that raised or cleared them.
        Alerts.AlertRaiser.AccountStateChanged(session, accountId, before, after, at);
        // Most events only move the latest action's time: nothing a page shows.
        if (after with { LastActionAt = before.LastActionAt } != before)
            session.Publish(new LiveChange(LiveChangeKind.AccountsChanged, AccountId: accountId));
    }

    private static StateChangeSource SourceOf(AccountFactKind kind) => kind switch
    {
        AccountFactKind.PinSubmitted => StateChangeSource.PinSubmission,
        AccountFactKind.PinExpired => StateChangeSource.PinExpiry,
        AccountFactKind.SessionActive or AccountFactKind.SessionNotActive => StateChangeSource.SessionCheck,
        _ => StateChangeSource.Event,
    };
}
