using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Operators;

public enum SignInStatus
{
    SignedIn,
    /// <summary>Unknown user name, wrong password, or locked out from this client: the three are not told apart.</summary>
    Rejected,
    Disabled,
    Unavailable,
}
