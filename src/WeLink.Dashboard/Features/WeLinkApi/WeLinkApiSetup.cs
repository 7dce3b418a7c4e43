using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.WeLinkApi;

public static class WeLinkApiSetup
{
    public static IServiceCollection AddWeLinkApi(this IServiceCollection services)
    {
        services.AddHttpClient<WeLinkApiClient>((sp, http) =>
        {
            http.BaseAddress = sp.GetRequiredService<IOptions<WeLinkOptions>>().Value.ApiBaseUrl;
            http.Timeout = WeLinkApiClient.Timeout;
        });
        return services;
    }
}
