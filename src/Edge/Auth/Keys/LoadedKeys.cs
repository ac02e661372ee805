namespace Edge.Server.Auth.Keys;

/// <summary>What <see cref="SigningKeyLoader"/> produced from valid options.</summary>
internal sealed class LoadedKeys
{
    public LoadedKeys(SigningAlgorithm allowed, SigningKey[] configuredKeys, SigningKeyRing ring)
    {
        Allowed = allowed;
        ConfiguredKeys = configuredKeys;
        Ring = ring;
    }

    public SigningAlgorithm Allowed { get; }

    /// <summary>Keys from <c>Auth:Keys</c>; kept so every JWKS reload can be merged with them.</summary>
    public SigningKey[] ConfiguredKeys { get; }

    /// <summary>Configured keys plus the JWKS file's keys as read at start-up.</summary>
    public SigningKeyRing Ring { get; }
}
