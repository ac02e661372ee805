namespace Edge.Server.Auth;

/// <summary>
/// One configured verification key (<c>Auth:Keys:N</c>). A key is bound to exactly one algorithm: an
/// HS256 key is a base64 <see cref="Secret"/>; an RS256/ES256 key is a PEM public key given inline
/// (<see cref="Pem"/>) or as a file (<see cref="PemFile"/>). Plain get/set properties for configuration binding.
/// </summary>
public sealed class AuthKeyOptions
{
    /// <summary>Optional key id. Tokens whose header carries <c>kid</c> are verified only by the key with that id.</summary>
    public string? Kid { get; set; }

    /// <summary>HS256, RS256 or ES256.</summary>
    public string? Algorithm { get; set; }

    /// <summary>HS256 only: the shared secret, base64 (standard or url alphabet), at least 32 bytes decoded.</summary>
    public string? Secret { get; set; }

    /// <summary>RS256/ES256 only: the public key (SubjectPublicKeyInfo <c>PUBLIC KEY</c>, <c>RSA PUBLIC KEY</c> or <c>CERTIFICATE</c>).</summary>
    public string? Pem { get; set; }

    /// <summary>RS256/ES256 only: path of a file holding the PEM public key (read once at start-up).</summary>
    public string? PemFile { get; set; }
}
