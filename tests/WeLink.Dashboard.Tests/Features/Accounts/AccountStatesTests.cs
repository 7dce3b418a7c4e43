using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Accounts;

namespace WeLink.Dashboard.Tests.Features.Accounts;

public class AccountStatesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static long Ago(TimeSpan span) => (Now - span).ToUnixTimeMilliseconds();

    [Theory]
    [InlineData(LoginState.Connected, 30, null, LoginState.RateLimited)]
    [InlineData(LoginState.Connected, 61, null, LoginState.Connected)]
    [InlineData(LoginState.PinRequired, 30, 5, LoginState.PinRequired)]
    [InlineData(LoginState.PinRequired, null, -1, LoginState.PinExpired)]
    [InlineData(LoginState.PinSubmitted, null, -1, LoginState.PinExpired)]
    [InlineData(LoginState.PinSubmitted, null, 3, LoginState.PinSubmitted)]
    [InlineData(LoginState.Restricted, 5, 5, LoginState.Restricted)]
    [InlineData(LoginState.LoginFailed, null, null, LoginState.LoginFailed)]
    [InlineData(LoginState.Unknown, 10, null, LoginState.RateLimited)]
    public void Effective_DerivesTimeBoundStates(LoginState stored, int? rateLimitedMinutesAgo, int? pinExpiresInMinutes, LoginState expected)
    {
        long? rateLimitedAt = rateLimitedMinutesAgo is { } m ? Ago(TimeSpan.FromMinutes(m)) : null;
        long? pinExpiresAt = pinExpiresInMinutes is { } e ? (Now + TimeSpan.FromMinutes(e)).ToUnixTimeMilliseconds() : null;
        Assert.Equal(expected, AccountStates.Effective(stored, rateLimitedAt, pinExpiresAt, Now));
    }
}
