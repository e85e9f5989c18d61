using System.Runtime.InteropServices;
using Binko.AppHost.Hosting.Processes;

namespace Binko.AppHost.Orchestration;

/// <summary>Finds the dotnet host that runs the projects' built assemblies.</summary>
internal static class DotNetHost
{
    private static readonly Lazy<string> Located = new(Locate);

    /// <summary>Looked up on first use, so a missing host is the AppHost's one-line error, not a type-initializer failure.</summary>
    public static string Path => Located.Value;

    private static string Locate()
    {
        // Started as `dotnet Binko.AppHost.dll` (or by `dotnet test`): the same host.
        if (Environment.ProcessPath is { } processPath && System.IO.Path.GetFileNameWithoutExtension(processPath) == "dotnet")
            return processPath;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
            return hostPath;
        // The runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/; the host is <root>/dotnet.
        var root = System.IO.Path.GetFullPath(System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var candidate = System.IO.Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        if (File.Exists(candidate))
            return candidate;
        return ChildProcess.FindOnPath("dotnet")
               ?? throw new AppHostException("Cannot find the dotnet host to run the projects: set DOTNET_HOST_PATH or put dotnet on PATH.");
    }
}
