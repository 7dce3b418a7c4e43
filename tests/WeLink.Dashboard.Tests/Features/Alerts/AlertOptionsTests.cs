using System.ComponentModel.DataAnnotations;
using WeLink.Dashboard.Features.Alerts;

namespace WeLink.Dashboard.Tests.Features.Alerts;

public class AlertOptionsTests
{
    private static List<string> Problems(AlertOptions options) =>
        options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage!).ToList();

    [Fact]
    public void Validate_EveryKindComplete_NoProblem()
    {
        var options = new AlertOptions
        {
            Channels =
            [
                new() { Name = "hook", Kind = AlertChannelKind.Webhook, Url = "https://example.com/in", Secret = "s" },
                new() { Name = "slack", Kind = AlertChannelKind.Slack, Url = "https://hooks.slack.com/services/x", Rules = ["PinWaiting"] },
                new() { Name = "teams", Kind = AlertChannelKind.Teams, Url = "https://prod.westeurope.logic.azure.com/x" },
                new() { Name = "tg", Kind = AlertChannelKind.Telegram, BotToken = "1:a", ChatId = "42" },
                new() { Name = "mail", Kind = AlertChannelKind.Email, SmtpHost = "smtp.example.com", From = "a@example.com", To = "b@example.com, c@example.com" },
            ],
        };

        Assert.Empty(Problems(options));
    }

    [Fact]
    public void Validate_MissingFieldsUnknownRuleAndDuplicateName_EachNamed()
    {
        var options = new AlertOptions
        {
            Channels =
            [
                new() { Name = "a", Kind = AlertChannelKind.Webhook, Url = "not a url" },
                new() { Name = "a", Kind = AlertChannelKind.Telegram, Rules = ["PinWaitng"] },
                new() { Name = "", Kind = AlertChannelKind.Email, SmtpHost = "h", From = "x", To = "" },
            ],
        };
        options.Rules.ErrorSpike.Threshold = 0;

        var problems = string.Join('\n', Problems(options));

        Assert.Contains("Webhook needs an absolute http(s) Url", problems);
        Assert.Contains("Webhook needs a Secret", problems);
        Assert.Contains("'a' is used twice", problems);
        Assert.Contains("unknown rule 'PinWaitng'", problems);
        Assert.Contains("Telegram needs a BotToken", problems);
        Assert.Contains("Alerts:Channels:2:Name is required", problems);
        Assert.Contains("Email needs a From address", problems);
        Assert.Contains("Email needs To", problems);
        Assert.Contains("ErrorSpike:Threshold", problems);
    }

    [Fact]
    public void Takes_NoRulesListed_TakesAll_OtherwiseOnlyThose()
    {
        Assert.True(new AlertChannelOptions().Takes(AlertRules.ErrorSpike));
        var only = new AlertChannelOptions { Rules = [AlertRules.PinWaiting] };
        Assert.True(only.Takes(AlertRules.PinWaiting));
        Assert.False(only.Takes(AlertRules.ErrorSpike));
    }

    [Fact]
    public void Backoff_DoublesFromTheBaseUpToTheMax()
    {
        var options = new AlertOptions { RetryBaseDelay = TimeSpan.FromSeconds(5), RetryMaxDelay = TimeSpan.FromSeconds(30) };

        Assert.Equal([5, 10, 20, 30, 30], Enumerable.Range(1, 5).Select(n => AlertSender.Backoff(options, n).TotalSeconds));
    }

    [Fact]
    public void Secrets_MaskedInTargetsAndScrubbedFromErrors()
    {
        var slack = new AlertChannelOptions { Kind = AlertChannelKind.Slack, Url = "https://hooks.slack.com/services/T1/B2/sekret" };
        var telegram = new AlertChannelOptions { Kind = AlertChannelKind.Telegram, BotToken = "123:tok-secret", ChatId = "42" };

        Assert.Equal("https://hooks.slack.com/••••", AlertSecrets.Target(slack));
        Assert.DoesNotContain("tok-secret", AlertSecrets.Target(telegram));
        Assert.Contains("chat 42", AlertSecrets.Target(telegram));
        Assert.Equal("failed at ••••", AlertSecrets.Scrub(slack, "failed at https://hooks.slack.com/services/T1/B2/sekret"));
        Assert.Equal("POST /••••/x failed", AlertSecrets.Scrub(slack, "POST /services/T1/B2/sekret/x failed"));
        Assert.Equal("bot•••• refused", AlertSecrets.Scrub(telegram, "bot123:tok-secret refused"));
    }
}
