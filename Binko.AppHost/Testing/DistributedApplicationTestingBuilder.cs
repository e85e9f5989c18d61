using Binko.AppHost.Hosting;

namespace Binko.AppHost.Testing;

/// <summary>
/// What Aspire.Hosting.Testing gives: the AppHost's own app model, run with a fresh temporary data directory, free ports
/// for everything (the api too), non-durable Postgres, and resource output kept for the dashboard and
/// <see cref="DistributedApplication.GetResourceLogs"/> instead of printed. Disposing the application stops every
/// process it started and deletes the directory.
/// </summary>
/// <example>
/// <code>
/// var builder = DistributedApplicationTestingBuilder.Create(Program.CreateBuilder);
/// await using var app = builder.Build();
/// await app.StartAsync(cancellationToken);
/// await app.ResourceNotifications.WaitForResourceHealthyAsync("api", cancellationToken);
/// using var http = app.CreateHttpClient("api");
/// </code>
/// </example>
public static class DistributedApplicationTestingBuilder
{
    public static DistributedApplicationBuilder Create(Func<string[], DistributedApplicationBuilder> createBuilder, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(createBuilder);
        var dataDirectory = Directory.CreateTempSubdirectory("binko-apphost-test-").FullName;
        if (Hosting.Servers.PostgresRunAs.IsRoot && !OperatingSystem.IsWindows())
        {
            // The 'postgres' account that runs the server as root must be able to enter it.
            File.SetUnixFileMode(dataDirectory, File.GetUnixFileMode(dataDirectory) | UnixFileMode.OtherExecute);
        }

        // Command-line arguments win over the environment; the caller's args come last and win over these.
        string[] testArgs =
        [
            $"--AppHost:DataDirectory={dataDirectory}",
            "--AppHost:Durable=false",
            "--AppHost:EchoOutput=false",
            "--Ports:Api=0",
            "--Ports:GenerationWorker=0",
            "--Ports:Dashboard=0",
            "--Ports:Postgres=0",
            "--Ports:Redis=0",
            .. args,
        ];
        var builder = createBuilder(testArgs);
        if (!builder.ExecutionContext.IsRunMode)
            throw new ArgumentException("The testing builder runs the application; publish with the AppHost's own entry point instead.", nameof(args));
        builder.Output = TextWriter.Null;
        builder.DisposeCallbacks.Add(() =>
        {
            DeleteDirectory(dataDirectory);
            return ValueTask.CompletedTask;
        });
        return builder;
    }

    /// <summary>The temporary data directory of an application built by <see cref="Create"/>.</summary>
    public static string GetDataDirectory(DistributedApplicationBuilder builder) =>
        builder.Configuration["AppHost:DataDirectory"] ?? throw new InvalidOperationException("No AppHost:DataDirectory is configured.");

    private static void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }
}
