namespace Edge.Protocol;

/// <summary>Outcome of checking a symbol or source name against <see cref="SymbolRules"/>.</summary>
public enum TextCheck : byte
{
    Ok = 0,
    Empty,
    TooLong,
    InvalidUtf8,

    /// <summary>A C0 control character (U+0000..U+001F) or DEL (U+007F).</summary>
    ControlCharacter,
}
