using System.Net;
using System.Text.RegularExpressions;
using WeLink.Dashboard.Features.Operators;

namespace WeLink.Dashboard.IntegrationTests.Security;

/// <summary>Signs in the way a browser does: load the page, take its anti-forgery token, post the form.</summary>
internal sealed partial class SignInFlow : IDisposable
{
    private SignInFlow(DashboardApp app)
    {
        Cookies = new CookieContainer();
        Client = app.CreateHttpClient(bearerToken: null, cookies: Cookies);
    }

    public CookieContainer Cookies { get; }

    /// <summary>No bearer token, keeps cookies, does not follow redirects.</summary>
    public HttpClient Client { get; }

    public static SignInFlow For(DashboardApp app) => new(app);

    /// <summary>Posts the sign-in form; the answer is the endpoint's redirect.</summary>
    public async Task<HttpResponseMessage> PostAsync(string userName, string password, string? returnUrl = null, bool withAntiforgery = true)
    {
        var page = await Client.GetAsync(SignInRoutes.Page);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var fields = new Dictionary<string, string> { ["UserName"] = userName, ["Password"] = password };
        if (returnUrl is not null) fields["ReturnUrl"] = returnUrl;
        if (withAntiforgery) fields["__RequestVerificationToken"] = AntiforgeryToken(await page.Content.ReadAsStringAsync());
        return await Client.PostAsync(SignInRoutes.Submit, new FormUrlEncodedContent(fields));
    }

    /// <summary>Signs in and checks that it worked (a redirect away from the sign-in page).</summary>
    public async Task SignInAsync(string userName, string password)
    {
        var response = await PostAsync(userName, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain(SignInRoutes.Page, response.Headers.Location!.OriginalString);
    }

    /// <summary>The hidden anti-forgery field of the first form in <paramref name="html"/>.</summary>
    public static string AntiforgeryToken(string html)
    {
        var field = TokenField().Match(html);
        Assert.True(field.Success, "The page has no anti-forgery field.");
        return WebUtility.HtmlDecode(ValueAttribute().Match(field.Value).Groups[1].Value);
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*>""")]
    private static partial Regex TokenField();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();
}

/// <summary>The system clock moved by <see cref="Offset"/>: lets a test step past a lock-out without waiting.</summary>
internal sealed class ShiftedTimeProvider : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
