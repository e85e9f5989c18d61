using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Binko.Tests.Infrastructure;

/// <summary>Queueing work through the API and reading it back once a worker has finished it.</summary>
public static class GenerationCalls
{
    /// <summary>POSTs <paramref name="body"/> to <paramref name="url"/>, expects 202, and long-polls the Location
    /// until the generation has finished; returns it.</summary>
    public static async Task<JsonElement> QueueAndWaitAsync(this HttpClient client, string url, object body)
    {
        var queued = await client.PostAsJsonAsync(url, body, TestContext.Current.CancellationToken);
        var text = await queued.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(queued.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {(int)queued.StatusCode}: {text}");
        return await client.FinishedAsync(queued.Headers.Location!.ToString());
    }

    /// <summary>Long-polls a generation (up to 30 s) and asserts it finished.</summary>
    public static async Task<JsonElement> FinishedAsync(this HttpClient client, string location)
    {
        using var response = await client.GetAsync($"{location}?wait=30", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    public static IReadOnlyList<JsonElement> Ideas(this JsonElement generation) => [.. generation.GetProperty("ideas").EnumerateArray()];
}
