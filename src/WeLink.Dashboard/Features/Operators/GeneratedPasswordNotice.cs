using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Operators;

/// <summary>Shows a generated first password to whoever started the dashboard: on the console, never in a log.</summary>
public class GeneratedPasswordNotice
{
    public virtual void Show(string userName, string password)
    {
        Console.Out.WriteLine(
            $"""

            ==================================================================
             WeLink.Dashboard: first operator created
               user name: {userName}
               password:  {password}
             This password is shown only now. Sign in and change it on
             /admin/operators, or set Dashboard:AdminPassword before first start.
            ==================================================================

            """);
        Console.Out.Flush();
    }
}
