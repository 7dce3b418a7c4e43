using System.Net;
using System.Net.Sockets;

namespace WeLink.Dashboard.IntegrationTests.Infrastructure;

public static class FreePort
{
    /// <summary>A port on 127.0.0.1 that was free a moment ago, for a server that must be named before it starts.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await timer.WaitForNextTickAsync();
        }
        return await condition();
    }
}
