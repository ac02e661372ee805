namespace Edge.Server.Auth;

/// <summary>
/// Thrown at start-up when <see cref="AuthOptions"/> cannot be used. <see cref="Errors"/> lists every
/// problem found (configuration paths and what is wrong; never key material).
/// </summary>
public sealed class AuthConfigurationException : Exception
{
    public AuthConfigurationException()
        : this([])
    {
    }

    public AuthConfigurationException(string message)
        : base(message)
    {
        Errors = [message];
    }

    public AuthConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public AuthConfigurationException(IReadOnlyList<string> errors)
        : base("Invalid authentication configuration: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
