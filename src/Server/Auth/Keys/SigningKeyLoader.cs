using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace Edge.Server.Auth.Keys;

/// <summary>
/// Turns <see cref="AuthOptions"/> key settings into <see cref="SigningKey"/>s, binding each key to its
/// algorithm family: an HS256 key can only come from a base64 secret and an RS256/ES256 key only from a
/// PEM public key, so a public key can never end up used as an HMAC secret. Errors never quote key material.
/// </summary>
internal static class SigningKeyLoader
{
    public const int MinHmacKeyBytes = 32;
    public const int MinRsaKeyBits = 2048;
    private const string P256Oid = "1.2.840.10045.3.1.7";

    public static SigningKeyRing? Load(AuthOptions options, List<string> errors)
    {
        var errorsBefore = errors.Count;
        var allowed = SigningAlgorithms.ParseAllowed(options.AllowedAlgorithms, errors);

        var configured = new List<SigningKey>();
        var keyOptions = options.Keys ?? [];
        for (var i = 0; i < keyOptions.Count; i++)
        {
            var key = LoadConfiguredKey(keyOptions[i], $"Auth:Keys:{i}", allowed, errors);
            if (key is not null)
            {
                configured.Add(key);
            }
        }

        List<SigningKey> jwks = [];
        if (!string.IsNullOrWhiteSpace(options.JwksFile))
        {
            jwks = JwksReader.ReadFile(options.JwksFile, allowed, errors, out _) ?? jwks;
        }

        if (configured.Count + jwks.Count == 0 && errors.Count == errorsBefore)
        {
            errors.Add("Auth: no verification key: configure Auth:Keys or Auth:JwksFile");
        }

        var ring = SigningKeyRing.Create(allowed, [.. configured], jwks, errors);
        return ring is not null && errors.Count == errorsBefore ? ring : null;
    }

    private static SigningKey? LoadConfiguredKey(AuthKeyOptions? options, string path, SigningAlgorithm allowed, List<string> errors)
    {
        if (options is null)
        {
            errors.Add($"{path}: empty key entry");
            return null;
        }

        var algorithm = SigningAlgorithms.Parse(options.Algorithm?.Trim());
        if (algorithm == SigningAlgorithm.None)
        {
            errors.Add($"{path}:Algorithm: '{options.Algorithm}' is not supported (use HS256, RS256 or ES256)");
            return null;
        }

        if ((allowed & algorithm) == 0)
        {
            errors.Add($"{path}:Algorithm: {SigningAlgorithms.Name(algorithm)} is not in Auth:AllowedAlgorithms");
            return null;
        }

        if (options.Kid is not null && string.IsNullOrWhiteSpace(options.Kid))
        {
            errors.Add($"{path}:Kid: must not be blank (omit it instead)");
            return null;
        }

        var hasPem = !string.IsNullOrWhiteSpace(options.Pem);
        var hasPemFile = !string.IsNullOrWhiteSpace(options.PemFile);
        var hasSecret = !string.IsNullOrWhiteSpace(options.Secret);
        if (algorithm == SigningAlgorithm.HS256)
        {
            if (hasPem || hasPemFile)
            {
                errors.Add($"{path}: an HS256 key takes a base64 Secret, not a PEM (a public key must never be used as an HMAC secret)");
                return null;
            }

            var secret = DecodeSecret(options.Secret, path, errors);
            return secret is null ? null : new SigningKey(options.Kid, algorithm, new SymmetricSecurityKey(secret), path);
        }

        if (hasSecret)
        {
            errors.Add($"{path}: an {SigningAlgorithms.Name(algorithm)} key takes a PEM public key (Pem or PemFile), not a Secret");
            return null;
        }

        if (hasPem == hasPemFile)
        {
            errors.Add($"{path}: set exactly one of Pem and PemFile");
            return null;
        }

        string pem;
        if (hasPem)
        {
            pem = options.Pem!;
        }
        else
        {
            try
            {
                pem = File.ReadAllText(options.PemFile!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                errors.Add($"{path}:PemFile: cannot read '{options.PemFile}': {e.GetType().Name}");
                return null;
            }
        }

        var key = ReadPublicKey(pem, algorithm, path, errors);
        return key is null ? null : new SigningKey(options.Kid, algorithm, key, path);
    }

    /// <summary>Decodes a base64 (standard or url alphabet, padding optional) HMAC secret of at least 256 bits.</summary>
    internal static byte[]? DecodeSecret(string? secret, string path, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            errors.Add($"{path}:Secret: required for HS256 (base64, at least {MinHmacKeyBytes} bytes)");
            return null;
        }

        var normalized = secret.Trim().Replace('-', '+').Replace('_', '/');
        normalized = (normalized.Length % 4) switch
        {
            2 => normalized + "==",
            3 => normalized + "=",
            _ => normalized,
        };
        var buffer = new byte[normalized.Length];
        if (!Convert.TryFromBase64String(normalized, buffer, out var length))
        {
            errors.Add($"{path}:Secret: not valid base64");
            return null;
        }

        if (length < MinHmacKeyBytes)
        {
            errors.Add($"{path}:Secret: {length * 8} bits is too short for HS256 (at least {MinHmacKeyBytes * 8} bits)");
            return null;
        }

        return buffer.AsSpan(0, length).ToArray();
    }

    private static SecurityKey? ReadPublicKey(string pem, SigningAlgorithm algorithm, string path, List<string> errors)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            errors.Add($"{path}: no PEM block found");
            return null;
        }

        var label = pem.AsSpan(fields.Label);
        if (label.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            errors.Add($"{path}: the PEM holds a private key; configure the public key only");
            return null;
        }

        var isCertificate = label.SequenceEqual("CERTIFICATE");
        try
        {
            return algorithm == SigningAlgorithm.RS256
                ? ReadRsa(pem, isCertificate, path, errors)
                : ReadEcdsa(pem, isCertificate, path, errors);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            var family = algorithm == SigningAlgorithm.RS256 ? "RSA" : "EC P-256";
            errors.Add($"{path}: the PEM does not parse as an {family} public key ({e.GetType().Name})");
            return null;
        }
    }

    private static SecurityKey? ReadRsa(string pem, bool isCertificate, string path, List<string> errors)
    {
        RSA? rsa;
        if (isCertificate)
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            rsa = certificate.GetRSAPublicKey();
        }
        else
        {
            rsa = RSA.Create();
            rsa.ImportFromPem(pem);
        }

        if (rsa is null)
        {
            errors.Add($"{path}: the certificate does not hold an RSA public key");
            return null;
        }

        if (rsa.KeySize < MinRsaKeyBits)
        {
            errors.Add($"{path}: RSA key of {rsa.KeySize} bits is too short (at least {MinRsaKeyBits})");
            rsa.Dispose();
            return null;
        }

        return new RsaSecurityKey(rsa);
    }

    private static SecurityKey? ReadEcdsa(string pem, bool isCertificate, string path, List<string> errors)
    {
        ECDsa? ecdsa;
        if (isCertificate)
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            ecdsa = certificate.GetECDsaPublicKey();
        }
        else
        {
            ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
        }

        if (ecdsa is null)
        {
            errors.Add($"{path}: the certificate does not hold an EC public key");
            return null;
        }

        if (!IsP256(ecdsa))
        {
            errors.Add($"{path}: ES256 needs a P-256 key");
            ecdsa.Dispose();
            return null;
        }

        return new ECDsaSecurityKey(ecdsa);
    }

    internal static bool IsP256(ECDsa ecdsa)
    {
        var curve = ecdsa.ExportParameters(false).Curve;
        return curve.IsNamed && (curve.Oid.Value == P256Oid || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256");
    }
}
