using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Features.Operators;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.IntegrationTests.Security;

/// <summary>The admin page's rules, through the service it calls, on a real database.</summary>
public sealed class OperatorAdministrationTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly DashboardApp _app;
    private readonly OperatorAdministration _admin;

    public OperatorAdministrationTests()
    {
        _app = DashboardApp.Start(_dir.Path);
        _admin = _app.Services.GetRequiredService<OperatorAdministration>();
    }

    public void Dispose()
    {
        _app.Dispose();
        _dir.Dispose();
    }

    private async Task<OperatorRow> FindAsync(string userName) =>
        (await _admin.ListAsync(CancellationToken.None)).Single(o => o.UserName == userName);

    [Fact]
    public async Task FirstStart_CreatedTheConfiguredAdmin()
    {
        var row = Assert.Single(await _admin.ListAsync(CancellationToken.None));
        Assert.Equal((DashboardApp.AdminUser, Roles.Admin, false), (row.UserName, row.Role, row.Disabled));
        Assert.StartsWith("AQAAAA", _app.Scalar<string>("SELECT PasswordHash FROM Operators"));
    }

    [Fact]
    public async Task LastEnabledAdmin_CannotBeDemotedDisabledOrRemoved()
    {
        var admin = await FindAsync(DashboardApp.AdminUser);

        Assert.Equal(OperatorCommandStatus.LastAdmin, (await _admin.SetRoleAsync(admin.Id, Roles.Operator, "test")).Status);
        Assert.Equal(OperatorCommandStatus.LastAdmin, (await _admin.SetDisabledAsync(admin.Id, true, "test")).Status);
        Assert.Equal(OperatorCommandStatus.LastAdmin, (await _admin.RemoveAsync(admin.Id, "test")).Status);

        var after = await FindAsync(DashboardApp.AdminUser);
        Assert.Equal((Roles.Admin, false), (after.Role, after.Disabled));
        // Changes that keep an admin are fine.
        Assert.True((await _admin.ResetPasswordAsync(admin.Id, "another-password-1", "test")).Succeeded);
        Assert.True((await _admin.SetRoleAsync(admin.Id, Roles.Admin, "test")).Succeeded);
    }

    [Fact]
    public async Task DisabledAdmin_DoesNotCountAsTheOtherAdmin()
    {
        Assert.True((await _admin.AddAsync("second", Roles.Admin, "second-password-1", "test")).Succeeded);
        var second = await FindAsync("second");
        Assert.True((await _admin.SetDisabledAsync(second.Id, true, "test")).Succeeded);

        var first = await FindAsync(DashboardApp.AdminUser);
        Assert.Equal(OperatorCommandStatus.LastAdmin, (await _admin.SetRoleAsync(first.Id, Roles.Viewer, "test")).Status);
        // Once the second is enabled again the first may step down, and then the second is the last.
        Assert.True((await _admin.SetDisabledAsync(second.Id, false, "test")).Succeeded);
        Assert.True((await _admin.SetRoleAsync(first.Id, Roles.Viewer, "test")).Succeeded);
        Assert.Equal(OperatorCommandStatus.LastAdmin, (await _admin.RemoveAsync(second.Id, "test")).Status);
    }

    [Fact]
    public async Task WithASecondAdmin_TheFirstCanBeRemoved()
    {
        Assert.True((await _admin.AddAsync("second", Roles.Admin, "second-password-1", "test")).Succeeded);
        var first = await FindAsync(DashboardApp.AdminUser);

        Assert.True((await _admin.RemoveAsync(first.Id, "test")).Succeeded);

        Assert.Equal("second", Assert.Single(await _admin.ListAsync(CancellationToken.None)).UserName);
    }

    [Fact]
    public async Task ConcurrentDemotions_LeaveOneAdmin()
    {
        Assert.True((await _admin.AddAsync("second", Roles.Admin, "second-password-1", "test")).Succeeded);
        var ids = (await _admin.ListAsync(CancellationToken.None)).Select(o => o.Id).ToList();

        var results = await Task.WhenAll(ids.Select(id => _admin.SetRoleAsync(id, Roles.Viewer, "test")));

        Assert.Single(results, r => r.Succeeded);
        Assert.Single(results, r => r.Status == OperatorCommandStatus.LastAdmin);
        Assert.Equal(1, _app.Scalar<long>("SELECT COUNT(*) FROM Operators WHERE Role = 'Admin' AND NOT Disabled"));
    }

    [Theory]
    [InlineData("ADMIN", "Viewer", "long-enough-password", OperatorCommandStatus.DuplicateName)]
    [InlineData("new user", "Viewer", "long-enough-password", OperatorCommandStatus.Invalid)]
    [InlineData("token:x", "Viewer", "long-enough-password", OperatorCommandStatus.Invalid)]
    [InlineData("newuser", "Root", "long-enough-password", OperatorCommandStatus.Invalid)]
    [InlineData("newuser", "Viewer", "short", OperatorCommandStatus.Invalid)]
    [InlineData("newuser", "viewer", "long-enough-password", OperatorCommandStatus.Done)]
    public async Task Add_ChecksNameRoleAndPassword(string userName, string role, string password, OperatorCommandStatus expected)
    {
        var result = await _admin.AddAsync(userName, role, password, "test");

        Assert.Equal(expected, result.Status);
        Assert.DoesNotContain(password, result.Message);
    }

    [Fact]
    public async Task Added_StoresOnlyAHash()
    {
        Assert.True((await _admin.AddAsync("hashed", Roles.Viewer, "plain-text-password-9", "test")).Succeeded);

        Assert.Equal(Roles.Viewer, _app.Scalar<string>("SELECT Role FROM Operators WHERE UserName = 'hashed'"));
        FileSearch.AssertNowhere(_dir.Path, "plain-text-password-9");
    }

    [Fact]
    public async Task ResetPassword_ReplacesTheOldOne()
    {
        Assert.True((await _admin.AddAsync("pat", Roles.Operator, "first-password-1", "test")).Succeeded);
        var pat = await FindAsync("pat");

        Assert.True((await _admin.ResetPasswordAsync(pat.Id, "second-password-2", "test")).Succeeded);

        using var browser = SignInFlow.For(_app);
        Assert.EndsWith("error=invalid", (await browser.PostAsync("pat", "first-password-1")).Headers.Location!.OriginalString);
        await browser.SignInAsync("pat", "second-password-2");
    }

    [Fact]
    public async Task UnknownOperator_IsNotFound()
    {
        Assert.Equal(OperatorCommandStatus.NotFound, (await _admin.SetRoleAsync(999, Roles.Viewer, "test")).Status);
        Assert.Equal(OperatorCommandStatus.NotFound, (await _admin.RemoveAsync(999, "test")).Status);
    }
}
