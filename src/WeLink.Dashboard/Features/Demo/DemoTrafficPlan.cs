using WeLink.Dashboard.Features.Requests;
using WeLink.Emulator.Traffic;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Demo;

/// <summary>What of the emulator's generated traffic the demo sends, and which requests it tells the dashboard about.</summary>
public static class DemoTrafficPlan
{
    /// <summary>
    /// The generated posts without the PIN requests (and their redeliveries): the generator scripts
    /// their outcome itself, whereas a demo PIN request waits for an operator's PIN. The scripted
    /// outcome stays, as the login outcome it is.
    /// </summary>
    public static IEnumerable<GeneratedEvent> Select(IEnumerable<GeneratedEvent> generated) =>
        generated.Where(e => e.EventType != EventTypes.LoginPinRequired);

    /// <summary>
    /// The registration a gateway would have recorded for <paramref name="e"/>'s request, or null:
    /// none for a redelivery (known already) nor for a deliberately odd shape, which stays
    /// <c>UNKNOWN</c> and unattributed, as it would in a real fleet.
    /// </summary>
    public static RequestRegistration? RegistrationOf(GeneratedEvent e) =>
        !e.IsRedelivery && e.AccountId is { } account && EventTypes.ActionOf(e.EventType) is { } action
            ? new RequestRegistration(e.RequestId, account, action)
            : null;
}
