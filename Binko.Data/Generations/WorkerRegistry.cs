using System.Text.Json;
using StackExchange.Redis;

namespace Binko.Data.Generations;

/// <summary>
/// Worker liveness shared through Redis: each worker replica writes a heartbeat (with its LLM circuit state)
/// every few seconds; the API's health and admin status read them.
/// </summary>
public static class WorkerRegistry
{
    public static Task BeatAsync(IDatabase redis, string keyPrefix, WorkerBeat beat) =>
        redis.HashSetAsync(Key(keyPrefix), beat.Instance, JsonSerializer.Serialize(beat));

    /// <summary>Heartbeats newer than <paramref name="maxAge"/>; older ones are removed (their worker is gone).</summary>
    public static async Task<IReadOnlyList<WorkerBeat>> LiveAsync(IDatabase redis, string keyPrefix, DateTimeOffset now, TimeSpan maxAge)
    {
        var live = new List<WorkerBeat>();
        foreach (var entry in await redis.HashGetAllAsync(Key(keyPrefix)))
        {
            var beat = JsonSerializer.Deserialize<WorkerBeat>(entry.Value.ToString());
            if (beat is not null && now - beat.At <= maxAge)
                live.Add(beat);
            else
                await redis.HashDeleteAsync(Key(keyPrefix), entry.Name);
        }
        return live;
    }

    private static string Key(string keyPrefix) => keyPrefix + "workers";
}

/// <summary>One worker's heartbeat: when, and whether its LLM circuit is open.</summary>
public sealed record WorkerBeat(string Instance, DateTimeOffset At, string Circuit, int Running);
