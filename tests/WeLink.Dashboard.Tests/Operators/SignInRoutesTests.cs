using WeLink.Dashboard.Features.Operators;

namespace WeLink.Dashboard.Tests.Operators;

public sealed class SignInRoutesTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/events?type=LOGIN_FAILED", "/events?type=LOGIN_FAILED")]
    [InlineData("/accounts/acc-1", "/accounts/acc-1")]
    [InlineData("/signin", "/")]
    [InlineData("/signin?returnUrl=%2Fsignin", "/")]
    [InlineData("/auth/signout", "/")]
    [InlineData("/events?q=Zürich", "/events?q=Z%C3%BCrich")]
    [InlineData("/accounts/東京", "/accounts/%E6%9D%B1%E4%BA%AC")]
    [InlineData("/events?q=🙂", "/events?q=%F0%9F%99%82")]
    public void LocalReturnUrl_LocalPath_IsKept(string returnUrl, string expected) =>
        Assert.Equal(expected, SignInRoutes.LocalReturnUrl(returnUrl));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("events")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/\r\nSet-Cookie:x")]
    public void LocalReturnUrl_ForeignOrOdd_IsRefused(string? returnUrl) => Assert.Null(SignInRoutes.LocalReturnUrl(returnUrl));

    [Theory]
    [InlineData(null, null, "/signin")]
    [InlineData("/", null, "/signin")]
    [InlineData("/events?type=X", null, "/signin?returnUrl=%2Fevents%3Ftype%3DX")]
    [InlineData("//evil.example", "invalid", "/signin?error=invalid")]
    [InlineData("/pins", "locked", "/signin?returnUrl=%2Fpins&error=locked")]
    public void PageFor_BuildsTheSignInAddress(string? returnUrl, string? error, string expected) =>
        Assert.Equal(expected, SignInRoutes.PageFor(returnUrl, error));
}
