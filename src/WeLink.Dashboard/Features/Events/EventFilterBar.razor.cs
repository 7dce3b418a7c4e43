using Microsoft.AspNetCore.Components;
using WeLink.Dashboard.Components.Shared;

namespace WeLink.Dashboard.Features.Events;

public partial class EventFilterBar : IDisposable
{
    public const string SearchInputId = "event-search";

    private string? _q;
    private string? _appliedQ;

    [Inject] private UiPreferences Preferences { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    [Parameter, EditorRequired] public EventFilter Filter { get; set; } = EventFilter.None;
    [Parameter] public EventFilterChoices Choices { get; set; } = EventFilterChoices.Empty;
    [Parameter] public EventCallback<EventFilter> OnChange { get; set; }

    protected override void OnInitialized() => Preferences.Changed += OnPreferencesChanged;

    protected override void OnParametersSet()
    {
        // Only take the URL's text when it changed from elsewhere (back button, a link), so a
        // round trip through navigation never overwrites what the operator is still typing.
        if (Filter.Q != _appliedQ)
        {
            _q = Filter.Q;
            _appliedQ = Filter.Q;
        }
    }

    private Task OnSearchChangedAsync(string? text)
    {
        _q = text;
        var q = Blank(text);
        if (q == Filter.Q) return Task.CompletedTask;
        _appliedQ = q;
        return OnChange.InvokeAsync(Filter with { Q = q });
    }

    private Task ChangeAsync(EventFilter filter) => filter == Filter ? Task.CompletedTask : OnChange.InvokeAsync(filter);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private void OnPreferencesChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose() => Preferences.Changed -= OnPreferencesChanged;
}
