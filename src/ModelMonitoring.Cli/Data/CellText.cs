using System.Globalization;
using csFastFloat;

namespace ModelMonitoring.Cli.Data;

/// <summary>
/// How the text of a CSV cell is read, as pandas' <c>read_csv</c> reads it with its defaults: its missing-value
/// spellings, and numbers in the invariant culture including <c>inf</c>, <c>-inf</c>, <c>Infinity</c> and
/// <c>NaN</c> in any case.
/// </summary>
internal static class CellText
{
    /// <summary>
    /// pandas' default <c>na_values</c> (<c>pandas._libs.parsers.STR_NA_VALUES</c>), matched exactly and case-sensitively
    /// as pandas does; a blank cell (empty or only spaces) is missing too.
    /// </summary>
    public static readonly IReadOnlyList<string> MissingSpellings =
    [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA",
        "NULL", "NaN", "None", "n/a", "nan", "null",
    ];

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Missing =
        new HashSet<string>(MissingSpellings, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether the cell is a missing value: blank, or one of <see cref="MissingSpellings"/>.</summary>
    public static bool IsMissing(ReadOnlySpan<char> cell) =>
        cell.IsWhiteSpace() || (cell.Length <= 8 && Missing.Contains(cell));

    /// <summary>
    /// Parses a number as pandas does in a numerical column: invariant culture, a decimal point, an optional exponent,
    /// surrounding spaces allowed, and <c>inf</c>/<c>infinity</c>/<c>nan</c> in any case with an optional sign.
    /// Never accepts a prefix (<c>1.5abc</c>), a thousands separator or a decimal comma (<c>1,5</c>).
    /// </summary>
    public static bool TryParseNumber(ReadOnlySpan<char> cell, out double value)
    {
        if (TryParsePlainDecimal(cell, out value))
        {
            return true;
        }

        // csFastFloat accepts a valid prefix, so the whole cell must be consumed.
        if (cell.Length > 0
            && FastDoubleParser.TryParseDouble(cell, out int consumed, out value)
            && consumed == cell.Length)
        {
            return true;
        }

        ReadOnlySpan<char> trimmed = cell.Trim();
        if (trimmed.Length > 0 && trimmed.Length < cell.Length
            && FastDoubleParser.TryParseDouble(trimmed, out consumed, out value)
            && consumed == trimmed.Length)
        {
            return true;
        }

        // Anything csFastFloat refuses that the BCL reads the same way (for example the symbol "∞").
        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && trimmed.Length > 0;
    }

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// The common case, read without a general parser: an optional minus, digits with at most one decimal point, no
    /// exponent, at most 2^53 as an integer of all the digits and at most 22 decimals. Such a number is that integer
    /// divided by a power of ten, both exact doubles, and one IEEE division rounds correctly (Clinger's fast path), so
    /// the result is the very double a correct parser gives. Anything else returns false for the general parser.
    /// </summary>
    internal static bool TryParsePlainDecimal(ReadOnlySpan<char> cell, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (cell.Length > 0 && cell[0] == '-')
        {
            negative = true;
            i = 1;
        }

        ulong mantissa = 0;
        int digits = 0;
        int point = -1;
        for (; i < cell.Length; i++)
        {
            uint digit = (uint)(cell[i] - '0');
            if (digit <= 9)
            {
                if (++digits > 19)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + digit;
            }
            else if (cell[i] == '.' && point < 0)
            {
                point = digits;
            }
            else
            {
                return false;
            }
        }

        int decimals = point < 0 ? 0 : digits - point;
        if (digits == 0 || mantissa > (1UL << 53) || decimals > 22)
        {
            return false;
        }

        double result = (double)mantissa / PowersOfTen[decimals];
        value = negative ? -result : result;
        return true;
    }
}
