using System.Net;
using System.Net.Sockets;
using Aspire.Hosting.Testing;

namespace Binko.Tests.AppHost;

/// <summary>Settings the AppHost cannot work with stop it before anything starts, with a message that names them.</summary>
public sealed class AppHostSettingsTests : IDisposable
{
    private readonly DirectoryInfo _directory = new(Path.GetDirectoryName(BinkoAppHost.NewDataDirectory())!);

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task A_data_directory_that_cannot_be_written_is_named_with_its_setting()
    {
        // A regular file where a directory should be: no one can write below it, root included.
        var blocker = Path.Combine(_directory.FullName, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "", TestContext.Current.CancellationToken);
        var dataDirectory = Path.Combine(blocker, "data");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => BuildAsync($"--AppHost:DataDirectory={dataDirectory}"));

        Assert.Contains(dataDirectory, error.Message, StringComparison.Ordinal);
        Assert.Contains("AppHost:DataDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_that_is_not_a_port_number_is_named_with_its_setting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            BuildAsync($"--AppHost:DataDirectory={Path.Combine(_directory.FullName, "data")}", "--Ports:Api=http"));

        Assert.Contains("Ports:Api is 'http', which is not a port number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_named_with_its_setting()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var busy = ((IPEndPoint)listener.LocalEndpoint).Port;

        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            BuildAsync($"--AppHost:DataDirectory={Path.Combine(_directory.FullName, "data")}", $"--Ports:Redis={busy}"));

        Assert.Contains($"Ports:Redis is {busy}, and that port of 127.0.0.1 is in use", error.Message, StringComparison.Ordinal);
    }

    private static async Task BuildAsync(params string[] args)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Binko_AppHost>(args, TestContext.Current.CancellationToken);
        await using var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
    }
}
