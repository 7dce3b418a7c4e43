using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using WeLink.Dashboard.Components.Shared;

namespace WeLink.Dashboard.Features.Events;

public partial class EventDetailPanel
{
    private bool _copied;

    [Inject] private UiPreferences Preferences { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;

    [Parameter] public EventDetail? Detail { get; set; }
    [Parameter] public long? SelectedId { get; set; }
    [Parameter] public bool Loading { get; set; }
    [Parameter] public EventCallback OnClose { get; set; }

    protected override void OnParametersSet() => _copied = false;

    private async Task CopyRawAsync()
    {
        if (Detail is null) return;
        try
        {
            _copied = await JS.InvokeAsync<bool>("welinkDashboard.copyText", Detail.RawBody);
        }
        catch (Exception ex) when (Components.Shared.JsInteropFailure.IsExpected(ex))
        {
            _copied = false;
        }
    }
}
