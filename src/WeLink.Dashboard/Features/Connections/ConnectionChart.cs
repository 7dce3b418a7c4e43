using MudBlazor;
using WeLink.Dashboard.Features.Shared;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Connections;

public sealed record ConnectionChart(string[] Labels, List<ChartSeries<double>> Series, string BucketName);
