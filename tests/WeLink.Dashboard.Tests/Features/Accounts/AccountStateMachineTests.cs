using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Tests.Features.Accounts;

/// <summary>The two dimensions over event sequences: login state from the login flow only, health flags beside it.</summary>
public class AccountStateMachineTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static long At(int minutes) => (Start + TimeSpan.FromMinutes(minutes)).ToUnixTimeMilliseconds();
    private static DateTimeOffset Time(int minutes) => Start + TimeSpan.FromMinutes(minutes);

    private static AccountFact Success(int at, string request, int? started = null) =>
        AccountFact.Event(At(at), EventTypes.LoginSuccess, null, request, started is { } s ? At(s) : null);
    private static AccountFact Pin(int at, string request, int? started = null) =>
        AccountFact.Event(At(at), EventTypes.LoginPinRequired, null, request, started is { } s ? At(s) : null, At(at + 10));
    private static AccountFact Failed(int at, string request, string code, int? started = null) =>
        AccountFact.Event(At(at), EventTypes.LoginFailed, code, request, started is { } s ? At(s) : null);
    private static AccountFact Action(int at, string? code, string type = EventTypes.MessageFailed) => AccountFact.Event(At(at), type, code);

    /// <summary>What a page shows at <paramref name="now"/> minutes: the login state and the raised flags.</summary>
    private static (LoginState Login, string? Code, List<HealthFlag> Flags, Account Row) Shown(AccountStateRecord s, int now)
    {
        var row = new Account
        {
            LoginState = s.Login, StateErrorCode = s.LoginErrorCode, StateChangedAt = s.LoginSince, PinExpiresAt = s.PinExpiresAt,
            RateLimitedSince = s.RateLimitedSince, RateLimitedAt = s.RateLimitedAt, RestrictedSince = s.RestrictedSince, ProxyTroubleSince = s.ProxyTroubleSince,
        };
        return (AccountStates.EffectiveLogin(row, Time(now)), s.LoginErrorCode, AccountStates.Health(row, Time(now)).Select(f => f.Flag).ToList(), row);
    }

    [Fact]
    public void Fold_ConnectedThen429_StaysConnectedAndRateLimitedForAnHour()
    {
        var s = AccountStateMachine.Fold([Success(0, "l1"), Action(5, ErrorCodes.RateLimited), Action(20, ErrorCodes.RateLimited)]);

        var shown = Shown(s, 30);
        Assert.Equal(LoginState.Connected, shown.Login);
        Assert.Equal([HealthFlag.RateLimited], shown.Flags);
        var flag = AccountStates.Health(shown.Row, Time(30)).Single();
        Assert.Equal(Time(5), flag.Since);
        Assert.Equal(Time(80), flag.Until);
        Assert.Empty(Shown(s, 81).Flags);
        Assert.Equal(LoginState.Connected, Shown(s, 81).Login);
    }

    [Fact]
    public void Fold_LoginFailedThen429_KeepsLoginFailedWithItsCode()
    {
        var s = AccountStateMachine.Fold([Failed(0, "l1", ErrorCodes.WrongPassword), Action(1, ErrorCodes.RateLimited)]);

        var shown = Shown(s, 2);
        Assert.Equal(LoginState.LoginFailed, shown.Login);
        Assert.Equal(ErrorCodes.WrongPassword, shown.Code);
        Assert.Equal([HealthFlag.RateLimited], shown.Flags);
        Assert.Equal(1, AccountStates.UrgencyRank(shown.Login, AccountStates.Health(shown.Row, Time(2))));
    }

    [Fact]
    public void Fold_RestrictedThenPin_PinRequiredAndStillRestricted()
    {
        var s = AccountStateMachine.Fold([Success(0, "l1"), Action(5, ErrorCodes.AccountRestricted, EventTypes.ConnectionFailed), Pin(10, "l2")]);

        var shown = Shown(s, 11);
        Assert.Equal(LoginState.PinRequired, shown.Login);
        Assert.Equal([HealthFlag.Restricted], shown.Flags);
        Assert.Equal("l2", s.PendingPinRequestId);
        // A PIN waiting comes before everything else.
        Assert.Equal(0, AccountStates.UrgencyRank(shown.Login, AccountStates.Health(shown.Row, Time(11))));
    }

    [Fact]
    public void Fold_RestrictedThenLoginSuccess_ClearsRestriction()
    {
        var s = AccountStateMachine.Fold([Action(0, ErrorCodes.AccountRestricted), Success(5, "l1")]);

        Assert.Equal(LoginState.Connected, Shown(s, 6).Login);
        Assert.Empty(Shown(s, 6).Flags);
    }

    [Fact]
    public void Fold_PinThenExpired_PinExpired()
    {
        var s = AccountStateMachine.Fold([Pin(0, "l1"), AccountFact.PinExpired(At(10), "l1")]);

        Assert.Equal(LoginState.PinExpired, s.Login);
        Assert.Equal(At(10), s.LoginSince);
    }

    [Fact]
    public void Shown_PinPastItsExpiryBeforeTheSweeper_PinExpired()
    {
        var s = AccountStateMachine.Fold([Pin(0, "l1")]);

        Assert.Equal(LoginState.PinRequired, Shown(s, 9).Login);
        Assert.Equal(LoginState.PinExpired, Shown(s, 10).Login);
    }

    [Fact]
    public void Fold_PinSubmittedThenSuccess_PinSubmittedThenConnected()
    {
        var submitted = AccountStateMachine.Fold([Pin(0, "l1"), AccountFact.PinSubmitted(At(2), "l1", At(0))]);
        Assert.Equal(LoginState.PinSubmitted, submitted.Login);

        var connected = AccountStateMachine.Apply(submitted, Success(3, "l1", started: 0));
        Assert.Equal(LoginState.Connected, connected.Login);
    }

    [Fact]
    public void Fold_PinExpiryOfAnotherRequest_ChangesNothing()
    {
        var s = AccountStateMachine.Fold([Pin(0, "l1"), Pin(5, "l2"), AccountFact.PinExpired(At(10), "l1")]);

        Assert.Equal(LoginState.PinRequired, s.Login);
        Assert.Equal("l2", s.PendingPinRequestId);
    }

    [Fact]
    public void Fold_SessionExpiredThenLogin_ConnectedAgain()
    {
        var expired = AccountStateMachine.Fold([Success(0, "l1"), AccountFact.Session(At(30), active: false)]);
        Assert.Equal(LoginState.SessionExpired, expired.Login);

        var s = AccountStateMachine.Fold([Pin(40, "l2"), AccountFact.PinSubmitted(At(41), "l2", At(40)), Success(42, "l2", started: 40)], expired);
        Assert.Equal(LoginState.Connected, s.Login);
        Assert.Equal(At(42), s.LoginSince);
    }

    [Fact]
    public void Fold_LiveSessionAfterSessionExpired_Connected()
    {
        var s = AccountStateMachine.Fold([Success(0, "l1"), AccountFact.Session(At(30), active: false), AccountFact.Session(At(150), active: true)]);

        Assert.Equal(LoginState.Connected, s.Login);
    }

    [Fact]
    public void Fold_NotActiveDuringALoginOrAfterAFailure_LeavesTheLoginFlowsState()
    {
        Assert.Equal(LoginState.PinRequired, AccountStateMachine.Fold([Pin(0, "l1"), AccountFact.Session(At(1), active: false)]).Login);
        var failed = AccountStateMachine.Fold([Failed(0, "l1", ErrorCodes.WrongPassword), AccountFact.Session(At(1), active: false)]);
        Assert.Equal(LoginState.LoginFailed, failed.Login);
        Assert.Equal(ErrorCodes.WrongPassword, failed.LoginErrorCode);
    }

    [Fact]
    public void Fold_LateOutcomeOfAnOlderRequest_DoesNotOverrideTheNewer()
    {
        // Login l1 started at 0, l2 at 5; l2 asks for a PIN at 6, then l1's failure arrives late at 8.
        var s = AccountStateMachine.Fold([Pin(6, "l2", started: 5), Failed(8, "l1", ErrorCodes.WrongPassword, started: 0)]);

        Assert.Equal(LoginState.PinRequired, s.Login);
        Assert.Null(s.LoginErrorCode);
    }

    [Fact]
    public void Fold_LateOutcomeOfTheSameRequest_StillCounts()
    {
        var s = AccountStateMachine.Fold([Pin(0, "l1"), AccountFact.PinExpired(At(10), "l1"), Success(12, "l1", started: 0)]);

        Assert.Equal(LoginState.Connected, s.Login);
    }

    [Fact]
    public void Fold_LoginOutcomeOfARequestOlderThanASessionCheck_DoesNotOverrideIt()
    {
        var s = AccountStateMachine.Fold([Success(0, "l1"), AccountFact.Session(At(30), active: false), Success(31, "l0", started: 20)]);

        Assert.Equal(LoginState.SessionExpired, s.Login);
    }

    [Fact]
    public void Fold_ProxyErrorOnTheLatestAction_ProxyTroubleUntilAnActionWithout()
    {
        var troubled = AccountStateMachine.Fold([Success(0, "l1"), Action(5, ErrorCodes.ProxyError), Action(6, ErrorCodes.ProxyError)]);
        Assert.Equal(At(5), troubled.ProxyTroubleSince);
        Assert.Equal([HealthFlag.ProxyTrouble], Shown(troubled, 7).Flags);
        Assert.Equal(2, AccountStates.UrgencyRank(LoginState.Connected, AccountStates.Health(Shown(troubled, 7).Row, Time(7))));

        var cleared = AccountStateMachine.Apply(troubled, Action(8, null, EventTypes.ConnectionSent));
        Assert.Empty(Shown(cleared, 9).Flags);
        Assert.Equal(3, AccountStates.UrgencyRank(LoginState.Connected, []));
    }

    [Fact]
    public void Fold_FactsInAnyOrder_SameAsInEventTimeOrder()
    {
        AccountFact[] facts = [Success(0, "l1"), Action(3, ErrorCodes.RateLimited), Action(4, ErrorCodes.AccountRestricted), Pin(10, "l2", started: 9)];

        Assert.Equal(AccountStateMachine.Fold(facts), AccountStateMachine.Fold(facts.Reverse()));
    }
}
