using Microsoft.AspNetCore.Components.Authorization;

namespace WeLink.Dashboard.Features.Pins;

/// <summary>Who may see PIN alerts: anyone signed in. Without authentication set up at all (a bare component), everyone.</summary>
public static class PinAlertAudience
{
    public static async Task<bool> IsSignedInAsync(Task<AuthenticationState>? state) =>
        state is null || (await state).User.Identity?.IsAuthenticated == true;
}
