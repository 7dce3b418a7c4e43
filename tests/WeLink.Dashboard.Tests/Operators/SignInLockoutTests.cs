using WeLink.Dashboard.Features.Operators;

namespace WeLink.Dashboard.Tests.Operators;

public sealed class SignInLockoutTests
{
    private const long Now = 1_800_000_000_000;
    private static readonly SignInLockout Lockout = new(Threshold: 3, Duration: TimeSpan.FromMinutes(15));

    [Fact]
    public void AfterFailure_BelowThreshold_Counts()
    {
        var state = Lockout.AfterFailure(new LockoutState(0, null), Now);
        state = Lockout.AfterFailure(state, Now + 1);

        Assert.Equal(new LockoutState(2, null), state);
        Assert.False(SignInLockout.IsLocked(state, Now + 2));
    }

    [Fact]
    public void AfterFailure_AtThreshold_LocksForTheDuration()
    {
        var state = Lockout.AfterFailure(new LockoutState(2, null), Now);

        Assert.Equal(new LockoutState(0, Now + 15 * 60_000), state);
        Assert.True(SignInLockout.IsLocked(state, Now + 15 * 60_000 - 1));
        Assert.False(SignInLockout.IsLocked(state, Now + 15 * 60_000));
    }

    [Fact]
    public void AfterFailure_WhileLocked_DoesNotExtendTheLock()
    {
        var locked = new LockoutState(0, Now + 60_000);

        Assert.Equal(locked, Lockout.AfterFailure(locked, Now + 30_000));
    }

    [Fact]
    public void AfterFailure_OnceTheLockRanOut_StartsCountingAgain()
    {
        var state = Lockout.AfterFailure(new LockoutState(0, Now - 1), Now);

        Assert.Equal(new LockoutState(1, null), state);
    }

    [Fact]
    public void ThresholdOne_LocksOnTheFirstFailure()
    {
        var state = new SignInLockout(1, TimeSpan.FromSeconds(30)).AfterFailure(new LockoutState(0, null), Now);

        Assert.True(SignInLockout.IsLocked(state, Now));
    }

    [Fact]
    public void AfterSuccess_ClearsEverything() => Assert.Equal(new LockoutState(0, null), SignInLockout.AfterSuccess);
}
