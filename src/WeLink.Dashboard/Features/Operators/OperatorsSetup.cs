using Microsoft.AspNetCore.Identity;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Operators;

public static class OperatorsSetup
{
    /// <summary>Operators in the database: sign-in (and its rate limit), sessions, administration, the first admin.</summary>
    public static WebApplicationBuilder AddOperators(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IPasswordHasher<Operator>, PasswordHasher<Operator>>();
        builder.Services.AddSingleton<OperatorSessions>();
        builder.Services.AddSingleton<OperatorSignIn>();
        builder.Services.AddSingleton<SignInLockouts>();
        builder.Services.AddSingleton<OperatorAdministration>();
        builder.Services.AddSingleton<GeneratedPasswordNotice>();
        // After the writer's registration (AddDashboardDatabase), so the writer is running when it starts.
        // A singleton too: PostgreSQL's start-up creates the admin through it under its lock.
        builder.Services.AddSingleton<FirstOperatorSetup>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FirstOperatorSetup>());
        return builder;
    }
}
