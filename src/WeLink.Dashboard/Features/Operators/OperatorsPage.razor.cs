using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Operators;

public sealed partial class OperatorsPage
{
    private static readonly string PasswordHelp = $"At least {OperatorCredentials.MinPasswordLength} characters. Generated ones are shown once: hand them over now.";

    private IReadOnlyList<OperatorRow>? _rows;
    private OperatorCommandResult? _result;

    private string? _newUserName;
    private string _newRole = Roles.Operator;
    private string? _newPassword;
    private bool _newGenerated;

    private OperatorRow? _resetFor;
    private string? _resetPassword;
    private bool _resetGenerated;

    [Inject] private OperatorAdministration Administration { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync() => _rows = await Administration.ListAsync(CancellationToken.None);

    private async Task<string> ActorAsync() => DashboardApi.ActorName((await AuthenticationState).User);

    private static string StatusOf(OperatorRow row) =>
        row.Disabled ? "Disabled"
        : row.LockedUntil is { } until ? $"Locked until {until.ToLocalTime():HH:mm}"
        : "Enabled";

    private static InputType PasswordInputType(bool generated) => generated ? InputType.Text : InputType.Password;

    private async Task ShowAsync(OperatorCommandResult result)
    {
        _result = result;
        if (result.Succeeded) await LoadAsync();
    }

    private async Task SetRoleAsync(OperatorRow row, string role)
    {
        await ShowAsync(await Administration.SetRoleAsync(row.Id, role, await ActorAsync()));
        // A refused change puts the select back to the stored role.
        if (!_result!.Succeeded) await LoadAsync();
    }

    private async Task SetDisabledAsync(OperatorRow row, bool disabled) =>
        await ShowAsync(await Administration.SetDisabledAsync(row.Id, disabled, await ActorAsync()));

    private async Task UnlockAsync(OperatorRow row) =>
        await ShowAsync(await Administration.UnlockAsync(row.Id, await ActorAsync()));

    private async Task RemoveAsync(OperatorRow row)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Remove operator", $"Remove {row.UserName}? They can no longer sign in.",
            yesText: "Remove", cancelText: "Cancel");
        if (confirmed == true) await ShowAsync(await Administration.RemoveAsync(row.Id, await ActorAsync()));
    }

    private void StartReset(OperatorRow row)
    {
        _resetFor = row;
        _resetPassword = null;
        _resetGenerated = false;
    }

    private void CancelReset() => _resetFor = null;

    private void GenerateResetPassword()
    {
        _resetPassword = OperatorCredentials.GeneratePassword();
        _resetGenerated = true;
    }

    private async Task ResetPasswordAsync()
    {
        if (_resetFor is not { } target) return;
        var result = await Administration.ResetPasswordAsync(target.Id, _resetPassword, await ActorAsync());
        if (result.Succeeded) _resetFor = null;
        await ShowAsync(result);
    }

    private void GenerateNewPassword()
    {
        _newPassword = OperatorCredentials.GeneratePassword();
        _newGenerated = true;
    }

    private async Task AddAsync()
    {
        var result = await Administration.AddAsync(_newUserName, _newRole, _newPassword, await ActorAsync());
        if (result.Succeeded)
        {
            _newUserName = null;
            _newPassword = null;
            _newGenerated = false;
        }
        await ShowAsync(result);
    }
}
