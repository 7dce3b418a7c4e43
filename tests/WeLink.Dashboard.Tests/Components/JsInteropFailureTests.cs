using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using MudBlazor;
using WeLink.Dashboard.Components.Shared;
using WeLink.Dashboard.Features.Events;
using WeLink.Dashboard.Features.Pins;

namespace WeLink.Dashboard.Tests.Components;

/// <summary>
/// A browser call that times out (a busy or backgrounded tab) or fails must not end the operator's
/// circuit: the renderer sees no unhandled exception and the component goes on working.
/// </summary>
public class JsInteropFailureTests : DashboardComponentTest
{
    public static TheoryData<string> Failures() => ["timeout", "script error", "disconnected"];

    private static Exception Failure(string kind) => kind switch
    {
        "timeout" => new TaskCanceledException("JS interop call timed out"),
        "script error" => new JSException("boom"),
        _ => new JSDisconnectedException("gone"),
    };

    private void AssertCircuitAlive() =>
        Assert.False(Context.Renderer.UnhandledException.IsCompleted,
            Context.Renderer.UnhandledException.IsCompleted ? Context.Renderer.UnhandledException.Result.ToString() : "");

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task PinAlerts_InteropFails_KeepsAlerting(string kind)
    {
        Context.JSInterop.SetupVoid("welinkDashboard.setPendingPins", _ => true).SetException(Failure(kind));
        Context.JSInterop.SetupVoid("welinkDashboard.playPinSound").SetException(Failure(kind));
        Context.Render<MudPopoverProvider>();
        var cut = Context.Render<PinAlerts>();
        await Context.Services.GetRequiredService<UiPreferences>().SetPinSoundAsync(true);

        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r1","message":"code"}""", accountHint: "acc-1");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[aria-label='1 PIN waiting: open the PIN inbox']")), WaitTimeout);
        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r2","message":"code"}""", accountHint: "acc-2");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[aria-label='2 PINs waiting: open the PIN inbox']")), WaitTimeout);
        // The failing calls were made, and the component went on after each.
        Assert.True(Context.JSInterop.Invocations.Count(i => i.Identifier == "welinkDashboard.setPendingPins") >= 3);
        Assert.Contains(Context.JSInterop.Invocations, i => i.Identifier == "welinkDashboard.playPinSound");
        Assert.NotEmpty(Context.Services.GetRequiredService<ISnackbar>().ShownSnackbars);
        AssertCircuitAlive();
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task EventLogPage_InteropFails_PageKeepsWorking(string kind)
    {
        Context.JSInterop.Setup<int?>("welinkDashboard.registerShortcuts", _ => true).SetException(Failure(kind));
        Context.JSInterop.SetupVoid("welinkDashboard.focusElement", _ => true).SetException(Failure(kind));
        Context.JSInterop.Setup<bool>("welinkDashboard.copyText", _ => true).SetException(Failure(kind));
        var stored = await IngestAsync("""{"status":"SUCCESS","request_id":"r1","result":{"connected":true}}""", "CONNECTION_SENT", "acc-1");
        Context.Render<MudPopoverProvider>();
        Context.Render<MudDialogProvider>();
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/events?event={stored.EventId}");
        var cut = Context.Render<EventLogPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=raw-body]"), WaitTimeout);

        await cut.InvokeAsync(() => cut.Instance.HandleShortcutAsync("/"));
        await cut.FindAll("[data-testid=event-detail] button").First(b => b.TextContent.Contains("Copy raw body")).ClickAsync(new());

        await IngestAsync("""{"status":"SUCCESS","request_id":"r2","result":{"connected":true}}""", "CONNECTION_SENT", "acc-2");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=row-type]").Count), WaitTimeout);
        AssertCircuitAlive();
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task UiPreferences_InteropFails_KeepsTheChoice(string kind)
    {
        Context.JSInterop.Setup<System.Text.Json.JsonElement>("welinkDashboard.loadPreferences").SetException(Failure(kind));
        Context.JSInterop.SetupVoid("welinkDashboard.savePreferences", _ => true).SetException(Failure(kind));
        var preferences = Context.Services.GetRequiredService<UiPreferences>();

        await preferences.LoadAsync();
        await preferences.SetUse24HourClockAsync(false);

        Assert.True(preferences.Loaded);
        Assert.False(preferences.Use24HourClock);
    }
}
