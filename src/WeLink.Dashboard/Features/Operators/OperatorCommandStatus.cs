using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Operators;

public enum OperatorCommandStatus
{
    Done,
    Invalid,
    NotFound,
    DuplicateName,
    LastAdmin,
    Unavailable,
}
