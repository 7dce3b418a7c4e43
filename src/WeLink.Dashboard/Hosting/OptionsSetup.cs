using Microsoft.Extensions.Options;

namespace WeLink.Dashboard.Hosting;

public static class OptionsSetup
{
    public static WebApplicationBuilder AddDashboardOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<WeLinkOptions>().BindConfiguration(WeLinkOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WeLinkOptions>, WeLinkOptionsValidator>();
        return builder;
    }
}
