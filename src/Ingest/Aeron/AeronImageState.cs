namespace Edge.Ingest.Aeron;

/// <summary>Life of an image on the receiver.</summary>
internal enum AeronImageState
{
    /// <summary>Created by a SETUP; no DATA or heartbeat yet, so the handler has not been told.</summary>
    Pending,

    /// <summary>Data has arrived; the handler knows the image.</summary>
    Active,

    /// <summary>End of stream delivered; status messages with the EOS flag go out for a few periods, data is ignored.</summary>
    Lingering,
}
