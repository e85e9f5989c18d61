using Binko.Api.Extensions;
using Microsoft.Extensions.Options;

namespace Binko.Api.Generations;

/// <summary>Who owns a generation and whose allowance it spends: a user by token, a guest by client IP.</summary>
public sealed record Caller(string OwnerId, string? UserId, string Plan, int DailyQuota)
{
    public const string GuestPlan = "guest";

    /// <summary>What a user's <see cref="OwnerId"/> starts with (<c>user:&lt;sub&gt;</c>); guests' start with <c>guest:</c>.</summary>
    public const string UserOwnerPrefix = "user:";

    public bool IsGuest => UserId is null;

    public static Caller From(CurrentUser user, HttpContext context, QuotaOptions quotas)
    {
        if (user.Id is { } id)
            return new Caller(UserOwnerPrefix + id, id, user.Plan, user.Plan == CurrentUser.ProPlan ? quotas.Pro : quotas.Free);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return new Caller($"guest:{address}", null, GuestPlan, quotas.Guest);
    }
}

public static class CallerExtensions
{
    public static void AddCaller(this IServiceCollection services) =>
        services.AddScoped(provider => Caller.From(
            provider.GetRequiredService<CurrentUser>(),
            provider.GetRequiredService<IHttpContextAccessor>().HttpContext
                ?? throw new InvalidOperationException("A caller exists only within a request."),
            provider.GetRequiredService<IOptions<QuotaOptions>>().Value));
}
