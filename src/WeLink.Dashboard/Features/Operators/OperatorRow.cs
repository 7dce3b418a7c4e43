using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Operators;

public sealed record OperatorRow(
    long Id,
    string UserName,
    string Role,
    bool Disabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt,
    DateTimeOffset? LockedUntil);
