using System.Security.Claims;
using Binko.Data.Quotas;

namespace Binko.Api.Extensions;

/// <summary>Who is calling, read from the validated token: <c>sub</c> is the user id, role <c>admin</c>, claim <c>plan</c>.</summary>
public sealed class CurrentUser(IHttpContextAccessor accessor)
{
    public ClaimsPrincipal Principal => accessor.HttpContext?.User ?? new ClaimsPrincipal();

    public bool IsAuthenticated => Principal.Identity?.IsAuthenticated == true;

    /// <summary>The <c>sub</c> claim, or null for a guest.</summary>
    public string? Id => IsAuthenticated ? Principal.FindFirstValue("sub") : null;

    public bool IsAdmin => IsAuthenticated && Principal.IsInRole(AuthenticationExtensions.AdminRole);

    /// <summary><c>pro</c> when the token says so, otherwise <c>free</c>.</summary>
    public string Plan => IsAuthenticated && Principal.FindFirstValue("plan") == Plans.Pro ? Plans.Pro : Plans.Free;

    /// <summary>The user id on endpoints that <see cref="AuthenticationExtensions.RequireUser{TBuilder}"/> guards.</summary>
    public string RequiredId => Id ?? throw new InvalidOperationException("The endpoint requires an authenticated user with a 'sub' claim.");
}

public static class CurrentUserExtensions
{
    public static void AddCurrentUser(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
    }
}
