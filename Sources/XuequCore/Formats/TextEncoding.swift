/// A byte encoding for text files that school-district HR offices exchange.
///
/// Chinese Excel saves "CSV" as GB18030 (GBK) and "CSV UTF-8" as UTF-8 with a BOM;
/// "Unicode text" is UTF-16LE with a BOM.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable {
    /// UTF-8 without a byte-order mark.
    case utf8
    /// UTF-8 preceded by the byte-order mark `EF BB BF` (what Excel opens correctly).
    case utf8BOM
    /// GB18030, the Chinese national encoding (a superset of GBK and GB2312).
    case gb18030
    /// UTF-16 little-endian preceded by the byte-order mark `FF FE`.
    case utf16LE
    /// UTF-16 big-endian preceded by the byte-order mark `FE FF`.
    case utf16BE
}
