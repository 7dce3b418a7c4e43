using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Features.WeLinkApi;
using WeLink.Dashboard.Hosting;
using WeLink.Dashboard.Tests.Components;

namespace WeLink.Dashboard.Tests.Features.Pins;

/// <summary>The component base with We-Link API credentials, a fake We-Link behind the typed client, and bUnit authorization.</summary>
public abstract class WeLinkApiComponentTest : DashboardComponentTest
{
    private BunitAuthorizationContext? _authorization;

    protected FakeWeLinkHandler WeLink { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(Options.Create(new WeLinkOptions
        {
            WebhookSecret = "s",
            ApiKey = "key",
            ApiSecret = "secret",
            ApiBaseUrl = new Uri("http://127.0.0.1:1/"),
            PinTimeout = TimeSpan.FromMinutes(10),
        }));
        services.AddHttpClient<WeLinkApiClient>().ConfigurePrimaryHttpMessageHandler(() => WeLink);
        // Registered before anything is resolved; who is signed in is set per test.
        _authorization = Context.AddAuthorization();
    }

    protected BunitAuthorizationContext SignIn(string name, string role)
    {
        var auth = _authorization!;
        auth.SetAuthorized(name);
        auth.SetRoles(role);
        // bUnit's fake authorization checks policies by name, not by their requirements.
        if (role is Roles.Operator or Roles.Admin) auth.SetPolicies(AuthorizationPolicies.Operator);
        return auth;
    }

    protected Task PinRequiredAsync(string requestId, string? account) =>
        IngestAsync($$"""{"status":"PIN_REQUIRED","request_id":"{{requestId}}","message":"Please provide the verification code sent to the user"}""", accountHint: account);

    protected Task LoginSucceededAsync(string requestId) =>
        IngestAsync($$$"""{"status":"SUCCESS","request_id":"{{{requestId}}}","result":{"first_name":"Ada","email":"ada@example.com","public_identifier":"ada"}}""", "LOGIN_SUCCESS");

    protected Task LoginFailedAsync(string requestId, string code) =>
        IngestAsync($$"""{"status":"FAILED","request_id":"{{requestId}}","error":"{{code}}"}""", "LOGIN_FAILED");
}
