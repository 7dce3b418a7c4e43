using System.Net;
using System.Net.Sockets;

namespace WeLink.Testing;

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
