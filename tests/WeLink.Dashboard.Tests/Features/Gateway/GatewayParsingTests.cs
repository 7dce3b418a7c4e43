using System.Text;
using WeLink.Dashboard.Features.Gateway;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Tests.Features.Gateway;

public class GatewayParsingTests
{
    [Theory]
    [InlineData("""{"status":"SUCCESS","requestId":"r-1"}""", "r-1")]
    [InlineData("""{"status":"SUCCESS","requestID":"r-2"}""", "r-2")]
    [InlineData("""{"status":"SUCCESS","request_id":"r-3"}""", "r-3")]
    [InlineData("""{"data":{"request_id":12345}}""", "12345")]
    [InlineData("""{"status":"SUCCESS"}""", null)]
    [InlineData("""[1,2]""", null)]
    [InlineData("""not json""", null)]
    public void RequestIdOf_AnySpelling_FindsIt(string answer, string? expected) =>
        Assert.Equal(expected, GatewayEndpoints.RequestIdOf(Encoding.UTF8.GetBytes(answer)));

    [Fact]
    public void AccountFields_LoginBody_ReadsOnlyTheEmail()
    {
        var body = Encoding.UTF8.GetBytes("""{"email":"a@b.example","password":"p","proxy":{"location":"US"}}""");
        Assert.Equal((null, "a@b.example"), GatewayEndpoints.AccountFields(body, "login_v2"));
        Assert.Equal((null, null), GatewayEndpoints.AccountFields(body, "connect"));
        Assert.Equal(("acc-1", null), GatewayEndpoints.AccountFields(Encoding.UTF8.GetBytes("""{"accountId":" acc-1 ","message":"hi"}"""), "send_message"));
        Assert.Equal((null, null), GatewayEndpoints.AccountFields(Encoding.UTF8.GetBytes("{"), "connect"));
    }

    [Theory]
    [InlineData("connect", true)]
    [InlineData("get_profile_details", true)]
    [InlineData("con-nect", false)]
    [InlineData("../admin", false)]
    [InlineData("", false)]
    public void IsActionName_OnlyWordCharacters(string action, bool expected) => Assert.Equal(expected, GatewayEndpoints.IsActionName(action));

    [Fact]
    public void ActionCatalogue_DefaultsAndExtras_KnowFamiliesAndBudgets()
    {
        var catalogue = new ActionCatalogue(new Dictionary<string, string> { ["wish_work_anniversary"] = "message", ["connect"] = "profile view" });
        Assert.Equal(RequestActions.Message, catalogue.FamilyOf("wish_work_anniversary"));
        Assert.Equal(RequestActions.ViewProfile, catalogue.FamilyOf("connect"));
        Assert.Equal(RequestActions.Login, catalogue.FamilyOf("login_v2"));
        Assert.Equal(ActionKind.MessageSync, catalogue.KindOf("personal_messages"));
        Assert.Equal(ActionKind.Synchronous, catalogue.KindOf("get_response"));
        Assert.Equal(ActionKind.Asynchronous, catalogue.KindOf("profile_views"));
        Assert.Null(catalogue.FamilyOf("profile_views"));
        Assert.Throws<ArgumentException>(() => new ActionCatalogue(new Dictionary<string, string> { ["x"] = "nonsense" }));
    }
}
