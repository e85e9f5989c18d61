using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using StackExchange.Redis;

namespace Binko.GenerationWorker.Jobs;

/// <summary>Database and Redis errors that pass: the job is retried later, the loop keeps running.</summary>
public static class TransientErrors
{
    public static bool IsInfrastructure(Exception exception) => exception switch
    {
        DbException or RedisException or TimeoutException or RetryLimitExceededException => true,
        DbUpdateException { InnerException: { } inner } => IsInfrastructure(inner),
        InvalidOperationException { InnerException: { } inner } => IsInfrastructure(inner),
        _ => false,
    };
}
