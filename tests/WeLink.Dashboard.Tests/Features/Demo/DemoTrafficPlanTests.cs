using WeLink.Dashboard.Features.Demo;
using WeLink.Emulator.Traffic;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Tests.Features.Demo;

public class DemoTrafficPlanTests
{
    private static IReadOnlyList<GeneratedEvent> Generated() => new TrafficGenerator(new SendOptions
    {
        Target = new Uri("http://127.0.0.1:5000/webhooks/welink"),
        Secret = "s",
        Count = 400,
        Accounts = 12,
        RedeliveryRatio = 0.1,
        RunId = "demo-test",
    }).Generate();

    [Fact]
    public void Select_GeneratedRun_NoScriptedPinRequestsButTheirOutcomes()
    {
        var generated = Generated();
        Assert.Contains(generated, e => e.EventType == EventTypes.LoginPinRequired);

        var selected = DemoTrafficPlan.Select(generated).ToList();

        Assert.DoesNotContain(selected, e => e.EventType == EventTypes.LoginPinRequired);
        // The outcome that followed a dropped PIN request is still sent, as a plain login outcome.
        var pinRequests = generated.Where(e => e.EventType == EventTypes.LoginPinRequired).Select(e => e.RequestId).ToHashSet();
        Assert.Contains(selected, e => pinRequests.Contains(e.RequestId) && e.EventType is EventTypes.LoginSuccess or EventTypes.LoginFailed);
        Assert.Equal(generated.Count - generated.Count(e => e.EventType == EventTypes.LoginPinRequired), selected.Count);
    }

    [Fact]
    public void RegistrationOf_EachKindOfPost_WhatAGatewayWouldHaveRecorded()
    {
        var generated = Generated();
        var connection = generated.First(e => e.EventType == EventTypes.ConnectionFailed && !e.IsRedelivery);
        var registration = DemoTrafficPlan.RegistrationOf(connection);
        Assert.NotNull(registration);
        Assert.Equal((connection.RequestId, connection.AccountId, RequestActions.Connect), (registration.RequestId, registration.AccountId, registration.Action));
        Assert.Empty(registration.Validate());

        Assert.Null(DemoTrafficPlan.RegistrationOf(generated.First(e => e.IsRedelivery)));
        Assert.Null(DemoTrafficPlan.RegistrationOf(generated.First(e => e.EventType == EventTypes.Unknown)));
        Assert.All(DemoTrafficPlan.Select(generated).Where(e => !e.IsRedelivery && e.EventType != EventTypes.Unknown),
            e => Assert.Equal(EventTypes.ActionOf(e.EventType), DemoTrafficPlan.RegistrationOf(e)!.Action));
    }
}
