using Bunit;
using WeLink.Dashboard.Features.Gateway;
using WeLink.Dashboard.Tests.Components;

namespace WeLink.Dashboard.Tests.Features.Gateway;

public class BudgetGaugeTests : DashboardComponentTest
{
    [Fact]
    public void BudgetGauge_PartlyUsed_ShowsCountsAgainstLimits()
    {
        var cut = Context.Render<BudgetGauge>(p => p.Add(c => c.Budget, new AccountBudget(37, 100, 12, 150)));
        var rows = cut.FindAll(".budget-gauge-row");
        Assert.Equal(2, rows.Count);
        Assert.Equal("37 / 100", rows[0].QuerySelector(".budget-count")!.TextContent);
        Assert.Equal("12 / 150", rows[1].QuerySelector(".budget-count")!.TextContent);
        Assert.Empty(cut.FindAll(".budget-spent"));
        Assert.Contains("Actions: 37 of 100 in the last hour", cut.Markup);
    }

    [Fact]
    public void BudgetGauge_ActionsSpent_MarksOnlyThatBudgetSpent()
    {
        var cut = Context.Render<BudgetGauge>(p => p.Add(c => c.Budget, new AccountBudget(100, 100, 3, 150)));
        var spent = Assert.Single(cut.FindAll(".budget-spent"));
        Assert.Equal("actions", spent.Closest(".budget-gauge-row")!.GetAttribute("data-budget"));
        Assert.Contains("mud-progress-linear-color-error", cut.FindAll(".budget-gauge-row")[0].InnerHtml);
        Assert.Contains("mud-progress-linear-color-success", cut.FindAll(".budget-gauge-row")[1].InnerHtml);
    }

    [Fact]
    public void BudgetGauge_NearLimit_TurnsAmber()
    {
        var cut = Context.Render<BudgetGauge>(p => p.Add(c => c.Budget, new AccountBudget(85, 100, 0, 150)).Add(c => c.ActionsOnly, true));
        var row = Assert.Single(cut.FindAll(".budget-gauge-row"));
        Assert.Contains("mud-progress-linear-color-warning", row.InnerHtml);
    }

    [Fact]
    public void AccountBudget_SpentEitherBudget_IsSpent()
    {
        Assert.False(new AccountBudget(99, 100, 149, 150).Spent);
        Assert.True(new AccountBudget(100, 100, 0, 150).Spent);
        Assert.True(new AccountBudget(0, 100, 150, 150).Spent);
    }

    [Fact]
    public void BudgetGauge_Compact_CountOnOneLineWithTheWholeSentenceOnHover()
    {
        var cut = Context.Render<BudgetGauge>(p => p.Add(c => c.Budget, new AccountBudget(100, 100, 0, 150)).Add(c => c.ActionsOnly, true).Add(c => c.Compact, true));
        var row = Assert.Single(cut.FindAll(".budget-gauge-row"));
        Assert.Equal("100 / 100", row.QuerySelector(".mud-typography")!.TextContent.Trim());
        Assert.Equal("Actions: 100 of 100 in the last hour", row.GetAttribute("title"));
        Assert.Contains("mud-progress-linear-color-error", row.InnerHtml);
    }
}
