using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Binko.Tests.AppHost;

/// <summary>The manifest the AppHost publishes as azd runs it, published once for the tests that read it.</summary>
public sealed class PublishedManifest : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(120);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("binko-manifest-test-");

    /// <summary>Nested as azd's output is, so the project paths must climb out with "../".</summary>
    public string Path => System.IO.Path.Combine(_directory.FullName, "out", "manifest.json");

    public string Text { get; private set; } = "";

    public JsonElement Manifest { get; private set; }

    public async ValueTask InitializeAsync()
    {
        // The AppHost project, built already, in the configuration these tests were built in.
        var configuration = typeof(PublishedManifest).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "run", "--project", Projects.Binko_AppHost.ProjectPath, "--no-build", "-c", configuration,
                     "--", "--publisher", "manifest", "--output-path", Path })
            startInfo.ArgumentList.Add(argument);
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(PublishTimeout);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"publishing failed ({process.ExitCode}): {await output}{await errors}");

        Text = await File.ReadAllTextAsync(Path);
        using var document = JsonDocument.Parse(Text);
        Manifest = document.RootElement.Clone();
    }

    public ValueTask DisposeAsync()
    {
        _directory.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
