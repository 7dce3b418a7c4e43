using WeLink.Dashboard.Data;
using WeLink.Dashboard.Hosting;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Features.Accounts;

public sealed record AccountSyncResult(bool Succeeded, int Accounts, string Message, DateTimeOffset At);
