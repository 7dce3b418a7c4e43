using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Operators;

public sealed record OperatorCommandResult(OperatorCommandStatus Status, string Message)
{
    public bool Succeeded => Status == OperatorCommandStatus.Done;
}
