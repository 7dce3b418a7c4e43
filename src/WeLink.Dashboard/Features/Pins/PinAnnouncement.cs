using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace WeLink.Dashboard.Features.Pins;

/// <summary>A request named by the PIN snackbar: by its request id, or by its account when it has none.</summary>
public readonly record struct AnnouncedRequest(string? RequestId, string? AccountId);

/// <summary>
/// What the PIN snackbar says and the requests it names. Its text changes in place as requests join it or get
/// their PIN (<see cref="PinAnnouncementText"/> follows it), so the snackbar is not closed and added again.
/// </summary>
public sealed class PinAnnouncement(IReadOnlyList<AnnouncedRequest> requests, string text, DateTimeOffset shownAt)
{
    public IReadOnlyList<AnnouncedRequest> Requests { get; private set; } = requests;
    public string Text { get; private set; } = text;
    public DateTimeOffset ShownAt { get; } = shownAt;

    /// <summary>The snackbar showing it, once added.</summary>
    internal Snackbar? Snackbar { get; set; }

    public event Action? Changed;

    public void Update(IReadOnlyList<AnnouncedRequest> requests, string text)
    {
        Requests = requests;
        Text = text;
        Changed?.Invoke();
    }
}

/// <summary>The snackbar's text: rendered as text (names and ids come from webhooks), again whenever it changes.</summary>
public sealed class PinAnnouncementText : ComponentBase, IDisposable
{
    private PinAnnouncement? _followed;

    [Parameter, EditorRequired] public PinAnnouncement Announcement { get; set; } = null!;

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(_followed, Announcement)) return;
        if (_followed is not null) _followed.Changed -= OnChanged;
        _followed = Announcement;
        _followed.Changed += OnChanged;
    }

    private void OnChanged() => _ = InvokeAsync(StateHasChanged);

    protected override void BuildRenderTree(RenderTreeBuilder builder) => builder.AddContent(0, Announcement.Text);

    public void Dispose()
    {
        if (_followed is not null) _followed.Changed -= OnChanged;
    }
}
