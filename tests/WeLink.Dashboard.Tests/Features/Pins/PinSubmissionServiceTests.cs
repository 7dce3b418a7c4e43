using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Pins;

namespace WeLink.Dashboard.Tests.Features.Pins;

public class PinSubmissionServiceTests : WeLinkApiComponentTest
{
    [Fact]
    public async Task Submit_WeLinkEchoesThePin_PinKeptOutOfAnswerAndRecord()
    {
        await PinRequiredAsync("req-echo", "acc-1");
        WeLink.Status = HttpStatusCode.BadRequest;
        WeLink.ResponseBody = """{"message":"code 918273 is not valid"}""";

        var service = Context.Services.GetRequiredService<PinSubmissionService>();
        var result = await service.SubmitAsync("req-echo", "918273", null, "ada", CancellationToken.None);

        Assert.Equal(PinSubmitStatus.UpstreamFailed, result.Status);
        Assert.DoesNotContain("918273", result.Message);
        Assert.Contains("[PIN]", result.Message);
        await using var db = await Context.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
        var submission = await db.PinSubmissions.SingleAsync();
        Assert.Equal(PinSubmissionOutcome.Failed, submission.Outcome);
        Assert.DoesNotContain("918273", submission.Detail);
        // Not taken by We-Link: the request is open for a retry.
        Assert.Equal(PinRequestStatus.Pending, (await db.PinRequests.SingleAsync()).Status);
    }

    [Fact]
    public async Task Submit_CallerCancelsMidCall_RequestOpenAgain()
    {
        await PinRequiredAsync("req-cancel", "acc-2");
        WeLink.Gate = new TaskCompletionSource();
        using var cancel = new CancellationTokenSource();

        var service = Context.Services.GetRequiredService<PinSubmissionService>();
        var submit = service.SubmitAsync("req-cancel", "123456", null, "ada", cancel.Token);
        await WaitUntilAsync(() => WeLink.LoginCodes.Count == 1);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => submit);

        await using var db = await Context.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
        Assert.Equal(PinRequestStatus.Pending, (await db.PinRequests.SingleAsync()).Status);
        Assert.Equal(PinSubmissionOutcome.Failed, (await db.PinSubmissions.SingleAsync()).Outcome);
    }
}
