using System.Runtime.InteropServices;
using WeLink.Emulator.Cli;

namespace WeLink.Emulator;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return await EmulatorCli.RunAsync(args, Environment.GetEnvironmentVariable, Console.Out, Console.Error, stop.Token);
    }
}
